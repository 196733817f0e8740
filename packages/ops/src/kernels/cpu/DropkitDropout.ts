import { type KernelConfig, util } from '@tensorflow/tfjs-core';
import { DropkitDropout, type DropoutAttrs } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { threefry4x32 } from '../../rng/threefry.js';
import { forEachBroadcastRow } from './broadcast.js';
import { unaryCpuKernel } from './io.js';

/**
 * The reference dropout: out = x * m with m = scale where kept and 0 where dropped (so NaN and -0
 * propagate as in a multiply). One pass; the random words are generated inline, four at a time,
 * when the mask has x's shape; a broadcast mask is drawn once over `noiseShape` first.
 */
export function dropoutImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: DropoutAttrs,
): Float32Array {
  const { threshold, noiseShape, seedLo, seedHi, streamLo, streamHi } = attrs;
  const scale = Math.fround(attrs.scale);
  const n = x.length;
  const out = new Float32Array(n);
  const sameShape = util.arraysEqual(noiseShape, shape as number[]);
  if (sameShape) {
    // Block b covers elements 4b..4b+3; its counter is (b mod 2^32, floor(b / 2^32)). A typed
    // array holds fewer than 2^32 elements, so b < 2^30: the high word is 0 and b is a small
    // integer, which keeps this loop in integer arithmetic.
    const w = new Uint32Array(4);
    const full = n >>> 2;
    for (let b = 0; b < full; b++) {
      threefry4x32(w, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
      const i = b << 2;
      out[i] = (x[i] as number) * ((w[0] as number) >>> 8 < threshold ? 0 : scale);
      out[i + 1] = (x[i + 1] as number) * ((w[1] as number) >>> 8 < threshold ? 0 : scale);
      out[i + 2] = (x[i + 2] as number) * ((w[2] as number) >>> 8 < threshold ? 0 : scale);
      out[i + 3] = (x[i + 3] as number) * ((w[3] as number) >>> 8 < threshold ? 0 : scale);
    }
    if (n & 3) {
      threefry4x32(w, 0, full, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
      for (let j = 0; j < (n & 3); j++) {
        const i = (full << 2) + j;
        out[i] = (x[i] as number) * ((w[j] as number) >>> 8 < threshold ? 0 : scale);
      }
    }
    return out;
  }
  const maskCount = noiseShape.reduce((a, b) => a * b, 1);
  const u = uniform24(maskCount, attrs);
  const mult = new Float32Array(maskCount);
  for (let j = 0; j < maskCount; j++) mult[j] = (u[j] as number) < threshold ? 0 : scale;
  broadcastMultiply(x, shape, mult, noiseShape, out);
  return out;
}

/** out[i] = x[i] * m[broadcast index of i], with `mShape` broadcasting against `xShape`. */
export function broadcastMultiply(
  x: Float32Array,
  xShape: readonly number[],
  m: Float32Array,
  mShape: readonly number[],
  out: Float32Array,
): void {
  forEachBroadcastRow(xShape, mShape, (off, base, length, stride) => {
    for (let k = 0; k < length; k++)
      out[off + k] = (x[off + k] as number) * (m[base + k * stride] as number);
  });
}

/** The cpu kernel of {@link DropkitDropout}. */
export const dropoutCpuConfig: KernelConfig = unaryCpuKernel<DropoutAttrs>(
  DropkitDropout,
  dropoutImpl,
);
