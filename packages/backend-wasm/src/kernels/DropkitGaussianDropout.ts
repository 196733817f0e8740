import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { activeKernelThreads } from '../kernelThreads.js';
import { float32Offset, float32Output, heapAccess, type WasmHeapBackend } from '../wasmHeap.js';
import { keyWords, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitGaussianDropout}: Box-Muller noise in float64 SIMD (log and
 * cos of the module's own, see assembly/math.ts), one float32 multiply per element; shared with
 * the helper threads of `initWasm` from 2^18 elements on.
 */
export const gaussianDropoutWasmConfig: KernelConfig = {
  kernelName: DropkitGaussianDropout,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmHeapBackend;
    const x = inputs.x as TensorInfo;
    const a = attrs as unknown as GaussianDropoutAttrs;
    const xp = float32Offset(b, 'x', x);
    return float32Output(b, x.shape, (op) => {
      const k = kernelInstance(b);
      const n = sizeOf(x.shape);
      const pool = activeKernelThreads();
      if (pool !== null && n >= pool.minElements) {
        pool.gaussianDropout(heapAccess(b, k), xp, op, n, a.stddev, keyWords(a));
      } else {
        k.gaussianDropout(xp, op, n, a.stddev, ...keyWords(a), 0);
      }
    });
  },
};
