import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { DropkitStandout, type StandoutAttrs } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { threefry4x32 } from '../../rng/threefry.js';
import { readFloat32, writeFloat32 } from './io.js';

const TWO_24 = 16777216;

/**
 * The keep probability of standout, p = sigmoid(alpha * a + beta): computed in float64 as
 * 1 / (1 + exp(-(alpha * a + beta))) from the float32 value a, then rounded to float32. A unit
 * is kept iff its 24-bit uniform is below round(p * 2^24), an integer; backends that evaluate
 * exp differently agree except where p lands right at a threshold's rounding boundary.
 *
 * @param a - one pre-activation value.
 * @param alpha - the slope.
 * @param beta - the offset.
 * @returns p, a float32 value in [0, 1] (NaN for a NaN a).
 * @example
 * ```ts
 * import { standoutKeepProbability } from '@dropkit/ops';
 * console.log(standoutKeepProbability(0, 1, 0)); // 0.5
 * ```
 */
export function standoutKeepProbability(a: number, alpha: number, beta: number): number {
  return Math.fround(1 / (1 + Math.exp(-(alpha * a + beta))));
}

/**
 * The keep mask of standout (1 kept, 0 dropped) drawn with the reference helpers: `uniform24` for
 * u and {@link standoutKeepProbability} for p. The composed fallback multiplies by it.
 *
 * @param a - the pre-activation values.
 * @param attrs - the kernel's attributes.
 * @returns one 0 or 1 per element.
 * @example
 * ```ts
 * import { resolveSeed, standoutKeepMask } from '@dropkit/ops';
 * const attrs = { alpha: 1, beta: 0, ...resolveSeed(3) };
 * console.log(Array.from(standoutKeepMask(new Float32Array([-100, 100]), attrs))); // [ 0, 1 ]
 * ```
 */
export function standoutKeepMask(a: Float32Array, attrs: StandoutAttrs): Float32Array {
  const u = uniform24(a.length, attrs);
  const keep = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const p = standoutKeepProbability(a[i] as number, attrs.alpha, attrs.beta);
    keep[i] = (u[i] as number) < Math.round(p * TWO_24) ? 1 : 0;
  }
  return keep;
}

/**
 * The reference standout: out_i = x_i * 1 where u_i < round(p_i * 2^24), x_i * 0 otherwise (so
 * a NaN or infinite x gives NaN even where dropped, as in dropout), with p_i from
 * {@link standoutKeepProbability}; kept units are not rescaled. One pass, the random words
 * generated inline four at a time by the uniform layout of threefry.ts.
 *
 * @param x - the input values.
 * @param a - the pre-activation values, x's length.
 * @param attrs - the kernel's attributes.
 * @returns a new array of x's length.
 * @example
 * ```ts
 * import { resolveSeed, standoutImpl } from '@dropkit/ops';
 * const attrs = { alpha: 1, beta: 0, ...resolveSeed(3) };
 * const out = standoutImpl(new Float32Array([5, 7]), new Float32Array([-100, 100]), attrs);
 * console.log(Array.from(out)); // [ 0, 7 ]
 * ```
 */
export function standoutImpl(x: Float32Array, a: Float32Array, attrs: StandoutAttrs): Float32Array {
  const { alpha, beta, seedLo, seedHi, streamLo, streamHi } = attrs;
  const n = x.length;
  const out = new Float32Array(n);
  const w = new Uint32Array(4);
  // Block b covers elements 4b..4b+3 (b < 2^30, so the high counter word is 0).
  const blocks = Math.ceil(n / 4);
  for (let b = 0; b < blocks; b++) {
    threefry4x32(w, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    const base = b << 2;
    const end = Math.min(4, n - base);
    for (let j = 0; j < end; j++) {
      const i = base + j;
      const p = standoutKeepProbability(a[i] as number, alpha, beta);
      out[i] = (x[i] as number) * ((w[j] as number) >>> 8 < Math.round(p * TWO_24) ? 1 : 0);
    }
  }
  return out;
}

/** The cpu kernel of {@link DropkitStandout}. */
export const standoutCpuConfig: KernelConfig = {
  kernelName: DropkitStandout,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const a = inputs.a as TensorInfo;
    const out = standoutImpl(
      readFloat32(backend, x),
      readFloat32(backend, a),
      attrs as NamedAttrMap as unknown as StandoutAttrs,
    );
    return writeFloat32(backend, out, x.shape);
  },
};
