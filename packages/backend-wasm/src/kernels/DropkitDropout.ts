import { DropkitDropout, type DropoutAttrs } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { activeKernelThreads } from '../kernelThreads.js';
import { float32Offset, float32Output, heapAccess, type WasmHeapBackend } from '../wasmHeap.js';
import { runBroadcast } from './runBroadcast.js';
import { broadcastPlan, keyWords, sameShape, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitDropout}: in place on the tfjs heap, with the random words
 * generated inline 36 at a time when the mask has x's shape (shared with the helper threads of
 * `initWasm` from 2^18 elements on), and drawn over the noise shape first when it broadcasts.
 */
export const dropoutWasmConfig: KernelConfig = {
  kernelName: DropkitDropout,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmHeapBackend;
    const x = inputs.x as TensorInfo;
    const a = attrs as unknown as DropoutAttrs;
    const xp = float32Offset(b, 'x', x);
    const plan = sameShape(a.noiseShape, x.shape) ? null : broadcastPlan(x.shape, a.noiseShape);
    return float32Output(b, x.shape, (op) => {
      const k = kernelInstance(b);
      if (plan === null) {
        const n = sizeOf(x.shape);
        const pool = activeKernelThreads();
        if (pool !== null && n >= pool.minElements) {
          pool.dropout(heapAccess(b, k), xp, op, n, a.threshold, a.scale, keyWords(a));
        } else {
          k.dropout(xp, op, n, a.threshold, a.scale, ...keyWords(a), 0);
        }
      } else {
        runBroadcast(b, k, plan, a, (mask, desc, rank) =>
          k.dropoutBroadcast(xp, op, mask, desc, rank, a.scale),
        );
      }
    });
  },
};
