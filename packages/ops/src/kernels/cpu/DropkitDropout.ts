import { type KernelConfig, util } from '@tensorflow/tfjs-core';
import { DropkitDropout, type DropoutAttrs } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { THREEFRY_PARITY, threefry4x32 } from '../../rng/threefry.js';
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
    dropoutSameShape(x, out, threshold, scale, seedLo | 0, seedHi | 0, streamLo | 0, streamHi | 0);
    return out;
  }
  const maskCount = noiseShape.reduce((a, b) => a * b, 1);
  const u = uniform24(maskCount, attrs);
  const mult = new Float32Array(maskCount);
  for (let j = 0; j < maskCount; j++) mult[j] = (u[j] as number) < threshold ? 0 : scale;
  broadcastMultiply(x, shape, mult, noiseShape, out);
  return out;
}

/**
 * The hot loop of dropout when the mask has x's shape: out[i] = x[i] * (u_i < threshold ? 0 :
 * scale), with the 20 Threefry rounds of threefry4x32 written out inline. A call per block (the
 * function is too large for V8 to inline) made this loop 1.4x slower at 4M elements, so the rounds
 * stand here a second time; the bit-identity tests against `uniform24` pin the two together.
 * Block b covers elements 4b..4b+3 with counter (b, 0, 0, 0): a typed array holds fewer than 2^32
 * elements, so b < 2^30, the high counter word is 0 and b stays a small integer.
 */
function dropoutSameShape(
  x: Float32Array,
  out: Float32Array,
  threshold: number,
  scale: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): void {
  const n = x.length;
  const full = n >>> 2;
  const k4 = k0 ^ k1 ^ k2 ^ k3 ^ THREEFRY_PARITY;
  // Counter words 1..3 are 0, so half of the first round is the same for every block.
  const r1 = (k1 << 10) | (k1 >>> 22);
  const x2First = (k2 + k3) | 0;
  const x3First = ((k3 << 26) | (k3 >>> 6)) ^ x2First;
  for (let b = 0; b < full; b++) {
    let x0 = (((b + k0) | 0) + k1) | 0;
    let x1 = r1 ^ x0;
    let x2 = x2First;
    let x3 = x3First;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 11) | (x3 >>> 21);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 21) | (x1 >>> 11);
    x1 ^= x2;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 13) | (x1 >>> 19);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 27) | (x3 >>> 5);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 23) | (x3 >>> 9);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 5) | (x1 >>> 27);
    x1 ^= x2;
    x0 = (x0 + k1) | 0;
    x1 = (x1 + k2) | 0;
    x2 = (x2 + k3) | 0;
    x3 = (x3 + k4 + 1) | 0;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 6) | (x1 >>> 26);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 20) | (x3 >>> 12);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 17) | (x3 >>> 15);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 11) | (x1 >>> 21);
    x1 ^= x2;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 25) | (x1 >>> 7);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 10) | (x3 >>> 22);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 18) | (x3 >>> 14);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 20) | (x1 >>> 12);
    x1 ^= x2;
    x0 = (x0 + k2) | 0;
    x1 = (x1 + k3) | 0;
    x2 = (x2 + k4) | 0;
    x3 = (x3 + k0 + 2) | 0;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 10) | (x1 >>> 22);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 26) | (x3 >>> 6);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 11) | (x3 >>> 21);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 21) | (x1 >>> 11);
    x1 ^= x2;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 13) | (x1 >>> 19);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 27) | (x3 >>> 5);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 23) | (x3 >>> 9);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 5) | (x1 >>> 27);
    x1 ^= x2;
    x0 = (x0 + k3) | 0;
    x1 = (x1 + k4) | 0;
    x2 = (x2 + k0) | 0;
    x3 = (x3 + k1 + 3) | 0;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 6) | (x1 >>> 26);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 20) | (x3 >>> 12);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 17) | (x3 >>> 15);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 11) | (x1 >>> 21);
    x1 ^= x2;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 25) | (x1 >>> 7);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 10) | (x3 >>> 22);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 18) | (x3 >>> 14);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 20) | (x1 >>> 12);
    x1 ^= x2;
    x0 = (x0 + k4) | 0;
    x1 = (x1 + k0) | 0;
    x2 = (x2 + k1) | 0;
    x3 = (x3 + k2 + 4) | 0;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 10) | (x1 >>> 22);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 26) | (x3 >>> 6);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 11) | (x3 >>> 21);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 21) | (x1 >>> 11);
    x1 ^= x2;
    x0 = (x0 + x1) | 0;
    x1 = (x1 << 13) | (x1 >>> 19);
    x1 ^= x0;
    x2 = (x2 + x3) | 0;
    x3 = (x3 << 27) | (x3 >>> 5);
    x3 ^= x2;
    x0 = (x0 + x3) | 0;
    x3 = (x3 << 23) | (x3 >>> 9);
    x3 ^= x0;
    x2 = (x2 + x1) | 0;
    x1 = (x1 << 5) | (x1 >>> 27);
    x1 ^= x2;
    x0 = (x0 + k0) | 0;
    x1 = (x1 + k1) | 0;
    x2 = (x2 + k2) | 0;
    x3 = (x3 + k3 + 5) | 0;
    const i = b << 2;
    out[i] = (x[i] as number) * (x0 >>> 8 < threshold ? 0 : scale);
    out[i + 1] = (x[i + 1] as number) * (x1 >>> 8 < threshold ? 0 : scale);
    out[i + 2] = (x[i + 2] as number) * (x2 >>> 8 < threshold ? 0 : scale);
    out[i + 3] = (x[i + 3] as number) * (x3 >>> 8 < threshold ? 0 : scale);
  }
  if (n & 3) {
    const w = new Uint32Array(4);
    threefry4x32(w, 0, full, 0, 0, 0, k0, k1, k2, k3);
    for (let j = 0; j < (n & 3); j++) {
      const i = (full << 2) + j;
      out[i] = (x[i] as number) * ((w[j] as number) >>> 8 < threshold ? 0 : scale);
    }
  }
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
