import type { KernelBackend, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/** The float32 values of a tensor on a synchronous backend (cpu: no copy). */
export function readFloat32(backend: unknown, t: TensorInfo): Float32Array {
  const values = (backend as KernelBackend).readSync(t.dataId);
  if (!(values instanceof Float32Array)) {
    throw new Error(
      `dropkit cpu kernel: expected float32 data, got ${Object.prototype.toString.call(values)}`,
    );
  }
  return values;
}

/** Hands a new float32 buffer to the backend as an output tensor. */
export function writeFloat32(
  backend: unknown,
  values: Float32Array,
  shape: readonly number[],
): TensorInfo {
  const dataId = (backend as KernelBackend).write(values, shape as number[], 'float32');
  return { dataId, shape: shape as number[], dtype: 'float32' };
}

/**
 * The cpu kernel config of a one-input float32 kernel: reads x, runs `impl` on its values, shape
 * and attributes, and hands the result back to the backend.
 *
 * @param kernelName - the kernel it implements.
 * @param impl - the computation on x's values.
 * @returns a config for `registerKernel`, for the `cpu` backend.
 * @example
 * ```ts
 * import { unaryCpuKernel } from '@dropkit/ops';
 * const k = unaryCpuKernel('Twice', (x: Float32Array) => x.map((v) => 2 * v));
 * console.log(k.kernelName, k.backendName); // Twice cpu
 * ```
 */
export function unaryCpuKernel<A>(
  kernelName: string,
  impl: (x: Float32Array, shape: readonly number[], attrs: A) => Float32Array,
): KernelConfig {
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as TensorInfo;
      const out = impl(readFloat32(backend, x), x.shape, attrs as NamedAttrMap as unknown as A);
      return writeFloat32(backend, out, x.shape);
    },
  };
}
