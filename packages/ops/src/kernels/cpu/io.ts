import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

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
