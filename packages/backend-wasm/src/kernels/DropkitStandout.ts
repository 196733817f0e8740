import { DropkitStandout, type StandoutAttrs } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { float32Offset, float32Output, type WasmHeapBackend } from '../wasmHeap.js';
import { assertSameShape, keyWords, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitStandout}: keep probabilities sigmoid(alpha * a + beta) in
 * float64 SIMD, compared as integer thresholds with the uniforms generated inline.
 */
export const standoutWasmConfig: KernelConfig = {
  kernelName: DropkitStandout,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmHeapBackend;
    const x = inputs.x as TensorInfo;
    const a = inputs.a as TensorInfo;
    const at = attrs as unknown as StandoutAttrs;
    const xp = float32Offset(b, 'x', x);
    const ap = float32Offset(b, 'a', a);
    assertSameShape('a', a, x);
    return float32Output(b, x.shape, (op) =>
      kernelInstance(b).standout(xp, ap, op, sizeOf(x.shape), at.alpha, at.beta, ...keyWords(at)),
    );
  },
};
