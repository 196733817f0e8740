import type { SeedAttrs } from '@dropkit/ops';
import type { KernelExports } from '../kernelInstance.js';
import { padTo32, type WasmHeapBackend, wasmMemoryOf, withScratch } from '../wasmHeap.js';
import { type BroadcastPlan, keyWords } from './shapes.js';

/**
 * The broadcast path of dropout and alpha dropout: draws the drop mask over the noise shape into
 * scratch, writes the walk's plan next to it and hands both to `walk`.
 */
export function runBroadcast(
  backend: WasmHeapBackend,
  k: KernelExports,
  plan: BroadcastPlan,
  attrs: SeedAttrs & { readonly threshold: number },
  walk: (mask: number, desc: number, rank: number) => void,
): void {
  const rank = plan.dims.length;
  // dropMask writes up to a multiple of 32 elements; the walk reads a whole vector at a row's end
  // (the lanes past it unused), so 4 more elements keep that read inside the buffer.
  const maskBytes = (padTo32(plan.maskCount) + 4) * 4;
  withScratch(backend, [maskBytes, 12 * rank], ([mask, desc]) => {
    k.dropMask(mask as number, plan.maskCount, attrs.threshold, ...keyWords(attrs));
    // A view taken after the last allocation: growing the memory detaches older buffers.
    const view = new Uint32Array(wasmMemoryOf(backend).buffer, desc as number, 3 * rank);
    view.set(plan.dims);
    view.set(plan.strides, rank);
    view.fill(0, 2 * rank);
    walk(mask as number, desc as number, rank);
  });
}
