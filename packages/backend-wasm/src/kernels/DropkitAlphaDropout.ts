import { type AlphaDropoutAttrs, DropkitAlphaDropout } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import { activeKernelThreads } from '../kernelThreads.js';
import { float32Offset, float32Output, heapAccess, type WasmHeapBackend } from '../wasmHeap.js';
import { runBroadcast } from './runBroadcast.js';
import { broadcastPlan, keyWords, sameShape, sizeOf } from './shapes.js';

/**
 * The wasm kernel of {@link DropkitAlphaDropout}: dropout's mask, then a * t + b in float32 with
 * t = x where kept and x * 0 + alphaP where dropped; shared with the helper threads of `initWasm`
 * from 2^18 elements on when the mask has x's shape.
 */
export const alphaDropoutWasmConfig: KernelConfig = {
  kernelName: DropkitAlphaDropout,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmHeapBackend;
    const x = inputs.x as TensorInfo;
    const at = attrs as unknown as AlphaDropoutAttrs;
    const xp = float32Offset(b, 'x', x);
    const plan = sameShape(at.noiseShape, x.shape) ? null : broadcastPlan(x.shape, at.noiseShape);
    return float32Output(b, x.shape, (op) => {
      const k = kernelInstance(b);
      if (plan === null) {
        const n = sizeOf(x.shape);
        const pool = activeKernelThreads();
        if (pool !== null && n >= pool.minElements) {
          pool.alphaDropout(heapAccess(b, k), xp, op, n, at.threshold, at, keyWords(at));
        } else {
          k.alphaDropout(xp, op, n, at.threshold, at.a, at.b, at.alphaP, ...keyWords(at), 0);
        }
      } else {
        runBroadcast(b, k, plan, at, (mask, desc, rank) =>
          k.alphaDropoutBroadcast(xp, op, mask, desc, rank, at.a, at.b, at.alphaP),
        );
      }
    });
  },
};
