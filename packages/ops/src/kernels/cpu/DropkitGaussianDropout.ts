import type { KernelConfig } from '@tensorflow/tfjs-core';
import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '../../kernel_names.js';
import { boxMuller, normalNoise } from '../../rng/noise.js';
import { threefry4x32 } from '../../rng/threefry.js';
import { unaryCpuKernel } from './io.js';

const TWO_24 = 16777216;

/**
 * The multipliers of Gaussian dropout over `count` elements: m_i = fround(1 + s * z_i), with
 * s = fround(stddev) and z_i the float32 standard normal of the normal layout of threefry.ts
 * (what `normalNoise` returns). s * z_i is exact in float64 (two 24-bit significands), so the only
 * roundings are the float64 sum and its conversion to float32. The composed path multiplies by
 * these with `tf.mul`, which is why it matches the fused kernel bit for bit.
 *
 * @param count - how many elements.
 * @param attrs - the kernel's attributes: stddev and the key words.
 * @returns the float32 multipliers.
 * @example
 * ```ts
 * import { gaussianMultipliers, resolveSeed } from '@dropkit/ops';
 * console.log(Array.from(gaussianMultipliers(3, { stddev: 0, ...resolveSeed(1) }))); // [ 1, 1, 1 ]
 * ```
 */
export function gaussianMultipliers(count: number, attrs: GaussianDropoutAttrs): Float32Array {
  const z = normalNoise(count, attrs);
  const s = Math.fround(attrs.stddev);
  const m = new Float32Array(count);
  for (let i = 0; i < count; i++) m[i] = 1 + s * (z[i] as number);
  return m;
}

/**
 * The reference Gaussian dropout: out_i = fround(x_i * m_i) with m_i as in
 * {@link gaussianMultipliers}. One pass: each Threefry block gives the noise of two neighbouring
 * elements (words 0, 1 and 2, 3), generated inline rather than through a noise array.
 *
 * @param x - the input values.
 * @param attrs - the kernel's attributes: stddev and the key words.
 * @returns a new array of x's length.
 * @example
 * ```ts
 * import { gaussianDropoutImpl, resolveSeed } from '@dropkit/ops';
 * const out = gaussianDropoutImpl(new Float32Array([2, -3]), { stddev: 0, ...resolveSeed(1) });
 * console.log(Array.from(out)); // [ 2, -3 ]
 * ```
 */
export function gaussianDropoutImpl(x: Float32Array, attrs: GaussianDropoutAttrs): Float32Array {
  const { seedLo, seedHi, streamLo, streamHi } = attrs;
  const s = Math.fround(attrs.stddev);
  const n = x.length;
  const out = new Float32Array(n);
  const w = new Uint32Array(4);
  // Block b covers elements 2b and 2b + 1; with fewer than 2^32 elements b < 2^31, so the high
  // counter word floor(i / 2^33) is 0. `2 * b`, not `b << 1`, which would overflow past 2^30.
  // `boxMuller` is written out here: the call cost about 10% on a 4M-element tensor; the tests
  // check bit equality with `normalNoise`.
  const pairs = Math.floor(n / 2);
  for (let b = 0; b < pairs; b++) {
    threefry4x32(w, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    const i = 2 * b;
    const r0 = Math.sqrt(-2 * Math.log((((w[0] as number) >>> 8) + 1) / TWO_24));
    const z0 = Math.fround(r0 * Math.cos(2 * Math.PI * (((w[1] as number) >>> 8) / TWO_24)));
    const r1 = Math.sqrt(-2 * Math.log((((w[2] as number) >>> 8) + 1) / TWO_24));
    const z1 = Math.fround(r1 * Math.cos(2 * Math.PI * (((w[3] as number) >>> 8) / TWO_24)));
    out[i] = (x[i] as number) * Math.fround(1 + s * z0);
    out[i + 1] = (x[i + 1] as number) * Math.fround(1 + s * z1);
  }
  if (n % 2 === 1) {
    threefry4x32(w, 0, pairs, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    const z0 = Math.fround(boxMuller(w[0] as number, w[1] as number));
    out[n - 1] = (x[n - 1] as number) * Math.fround(1 + s * z0);
  }
  return out;
}

/** The cpu kernel of {@link DropkitGaussianDropout}. */
export const gaussianDropoutCpuConfig: KernelConfig = unaryCpuKernel<GaussianDropoutAttrs>(
  DropkitGaussianDropout,
  (x, _shape, attrs) => gaussianDropoutImpl(x, attrs),
);
