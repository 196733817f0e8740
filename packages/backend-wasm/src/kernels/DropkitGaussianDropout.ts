import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { float32Offset, float32Output, type WasmHeapBackend } from '../wasmHeap.js';
import { keyWords, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitGaussianDropout}: Box-Muller noise in float64 SIMD (log and
 * cos of the module's own, see assembly/math.ts), one float32 multiply per element.
 */
export const gaussianDropoutWasmConfig: KernelConfig = {
  kernelName: DropkitGaussianDropout,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmHeapBackend;
    const x = inputs.x as TensorInfo;
    const a = attrs as unknown as GaussianDropoutAttrs;
    const xp = float32Offset(b, 'x', x);
    return float32Output(b, x.shape, (op) =>
      kernelInstance(b).gaussianDropout(xp, op, sizeOf(x.shape), a.stddev, ...keyWords(a)),
    );
  },
};
