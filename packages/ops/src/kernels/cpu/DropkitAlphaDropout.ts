import { type KernelConfig, util } from '@tensorflow/tfjs-core';
import { type AlphaDropoutAttrs, DropkitAlphaDropout } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { threefry4x32 } from '../../rng/threefry.js';
import { forEachBroadcastRow } from './broadcast.js';
import { unaryCpuKernel } from './io.js';

/**
 * The reference alpha dropout, in float32 with a, b and alphaP rounded to float32 first:
 * t = x where kept, x * 0 + alphaP where dropped (alphaP for finite x, NaN for an infinite or NaN
 * one, as Keras's and PyTorch's `x * keep + alphaP * (1 - keep)`), then
 * out = fround(fround(a * t) + b). The mask is dropout's: mask element j (over `noiseShape`,
 * broadcast against x) is dropped iff its 24-bit uniform is below `threshold`. One pass with the
 * random words generated inline when the mask has x's shape; a broadcast mask is drawn first.
 *
 * @param x - the input values.
 * @param shape - x's shape.
 * @param attrs - the kernel's attributes.
 * @returns a new array of x's length.
 * @example
 * ```ts
 * import { alphaDropoutImpl, resolveSeed } from '@dropkit/ops';
 * const attrs = { threshold: 2 ** 24, a: 2, b: 1, alphaP: -1, noiseShape: [2], ...resolveSeed(0) };
 * console.log(Array.from(alphaDropoutImpl(new Float32Array([5, 7]), [2], attrs))); // [ -1, -1 ]
 * ```
 */
export function alphaDropoutImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: AlphaDropoutAttrs,
): Float32Array {
  const { threshold, noiseShape, seedLo, seedHi, streamLo, streamHi } = attrs;
  const a = Math.fround(attrs.a);
  const b = Math.fround(attrs.b);
  const alphaP = Math.fround(attrs.alphaP);
  const n = x.length;
  const out = new Float32Array(n);
  const sameShape = util.arraysEqual(noiseShape, shape as number[]);
  if (sameShape) {
    // The dropout kernel's loop: block b covers elements 4b..4b+3, b < 2^30.
    const w = new Uint32Array(4);
    const blocks = Math.ceil(n / 4);
    for (let blk = 0; blk < blocks; blk++) {
      threefry4x32(w, 0, blk, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
      const base = blk << 2;
      const end = Math.min(4, n - base);
      for (let j = 0; j < end; j++) {
        const v = x[base + j] as number;
        const t = (w[j] as number) >>> 8 < threshold ? v * 0 + alphaP : v;
        out[base + j] = Math.fround(a * t) + b;
      }
    }
    return out;
  }
  const maskCount = noiseShape.reduce((p, d) => p * d, 1);
  const u = uniform24(maskCount, attrs);
  forEachBroadcastRow(shape, noiseShape, (off, base, length, stride) => {
    for (let k = 0; k < length; k++) {
      const v = x[off + k] as number;
      const t = (u[base + k * stride] as number) < threshold ? v * 0 + alphaP : v;
      out[off + k] = Math.fround(a * t) + b;
    }
  });
  return out;
}

/** The cpu kernel of {@link DropkitAlphaDropout}. */
export const alphaDropoutCpuConfig: KernelConfig = unaryCpuKernel<AlphaDropoutAttrs>(
  DropkitAlphaDropout,
  alphaDropoutImpl,
);
