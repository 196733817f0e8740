import { DropkitStandout, type StandoutAttrs } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { activeKernelThreads } from '../kernelThreads.js';
import { float32Offset, float32Output, heapAccess, type WasmHeapBackend } from '../wasmHeap.js';
import { assertSameShape, keyWords, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitStandout}: keep probabilities sigmoid(alpha * a + beta) in
 * float64 SIMD, compared as integer thresholds with the uniforms generated inline; shared with the
 * helper threads of `initWasm` from 2^18 elements on.
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
    return float32Output(b, x.shape, (op) => {
      const k = kernelInstance(b);
      const n = sizeOf(x.shape);
      const pool = activeKernelThreads();
      if (pool !== null && n >= pool.minElements) {
        pool.standout(heapAccess(b, k), xp, ap, op, n, at.alpha, at.beta, keyWords(at));
      } else {
        k.standout(xp, ap, op, n, at.alpha, at.beta, ...keyWords(at), 0);
      }
    });
  },
};
