import * as tf from '@tensorflow/tfjs-core';

/**
 * The median of a non-empty list (the mean of the two middle values for an even count).
 *
 * @param values - the samples.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Wall time in ms of one call: the call, then `force` on its result (so lazily or asynchronously
 * computed values are paid for inside the measurement); the result is disposed after the clock
 * stops. Intermediate tensors of the call are released by a `tidy`.
 *
 * @param fn - the work; returns one tensor.
 * @param force - makes sure the tensor's value exists (see `BenchBackend.force`).
 */
export async function timeOnce(
  fn: () => tf.Tensor,
  force: (t: tf.Tensor) => void | Promise<void>,
): Promise<number> {
  const start = performance.now();
  const out = tf.tidy(fn);
  await force(out);
  const ms = performance.now() - start;
  out.dispose();
  return ms;
}

/**
 * Device time in ms of the kernels one call runs, from `tf.time` (on WebGPU, timestamp queries:
 * real only with Dawn's timestamp quantization turned off, as `initWebGpu` does in Node). Null
 * when the backend reports no kernel time.
 *
 * @param fn - the work; returns one tensor, disposed afterwards.
 */
export async function kernelTimeOnce(fn: () => tf.Tensor): Promise<number | null> {
  let out: tf.Tensor | undefined;
  const info = await tf.time(() => {
    out = tf.tidy(fn);
  });
  out?.dispose();
  const k = info.kernelMs;
  return typeof k === 'number' && Number.isFinite(k) && k > 0 ? k : null;
}
