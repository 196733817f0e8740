/**
 * The names, inputs and attributes of dropkit's kernels (the tfjs `kernel_names.ts` pattern).
 * Every backend registers a kernel under these names; the ops call them through
 * `engine().runKernel(name, inputs, attrs)`.
 */

/** The (seed, stream) of a call, as four unsigned 32-bit words: the Threefry key. */
export interface SeedAttrs {
  /** seed mod 2^32 */
  seedLo: number;
  /** floor(seed / 2^32) */
  seedHi: number;
  /** stream mod 2^32 */
  streamLo: number;
  /** floor(stream / 2^32) */
  streamHi: number;
}

/**
 * Inverted dropout with a broadcast mask: element `j` of the mask (shape `noiseShape`, same rank
 * as `x`, each dimension 1 or equal to x's) is dropped iff its 24-bit uniform is below
 * `threshold`; a kept element is `x * scale`, a dropped one 0. Spatial dropout, DropConnect, drop
 * path and stochastic depth are this kernel with other noise shapes.
 */
export const DropkitDropout = 'DropkitDropout';
export interface DropoutAttrs extends SeedAttrs {
  /** round(rate * 2^24): drop iff `u < threshold`. */
  threshold: number;
  /** The multiplier of kept elements, a float32 value (1 / (1 - rate) in the forward pass). */
  scale: number;
  /** The mask's shape, same rank as x; each entry 1 or x's size there. */
  noiseShape: number[];
}

/**
 * Gaussian dropout: `out = fround(x * m)`, `m = fround(1 + stddev * z)` with z the float32
 * standard normal noise of the normal layout (see threefry.ts).
 */
export const DropkitGaussianDropout = 'DropkitGaussianDropout';
export interface GaussianDropoutAttrs extends SeedAttrs {
  /** sqrt(rate / (1 - rate)), a float32 value. */
  stddev: number;
}

/**
 * Alpha dropout (Keras / PyTorch): `a * t + b` with `t = x` where kept and `x * 0 + alphaP`
 * where dropped (alphaP for finite x), where `alphaP` is `-alpha * scale` of SELU; float32
 * arithmetic, one rounding per operation.
 */
export const DropkitAlphaDropout = 'DropkitAlphaDropout';
export interface AlphaDropoutAttrs extends SeedAttrs {
  /** round(rate * 2^24): drop iff `u < threshold`, as dropout. */
  threshold: number;
  /** ((1 - rate)(1 + rate alphaP^2))^-1/2, a float32 value. */
  a: number;
  /** -a * alphaP * rate, a float32 value. */
  b: number;
  /** -SELU_ALPHA * SELU_SCALE, a float32 value. */
  alphaP: number;
  /** The mask's shape, as in dropout. */
  noiseShape: number[];
}

/** DropBlock on a 4-D map; see the op for the exact semantics. */
export const DropkitDropBlock = 'DropkitDropBlock';
export interface DropBlockAttrs extends SeedAttrs {
  rate: number;
  blockSize: number;
  dataFormat: 'NHWC' | 'NCHW';
  perChannel: boolean;
}

/**
 * ProbDropBlock: DropBlock with block seeds drawn in proportion to the salience of `guide`, an
 * optional input that defaults to x (the backward pass passes the saved input with x = dy).
 */
export const DropkitProbDropBlock = 'DropkitProbDropBlock';
export type ProbDropBlockAttrs = DropBlockAttrs;

/**
 * Standout (adaptive dropout): keep element i iff its 24-bit uniform is below
 * round(sigmoid(alpha * a_i + beta) * 2^24); kept elements pass unscaled.
 */
export const DropkitStandout = 'DropkitStandout';
export interface StandoutAttrs extends SeedAttrs {
  /** The slope: p = sigmoid(alpha * a + beta), computed in float64, rounded to float32. */
  alpha: number;
  /** The offset. */
  beta: number;
}

/** Every kernel name dropkit defines, for coverage tables. */
export const DROPKIT_KERNEL_NAMES = [
  DropkitDropout,
  DropkitGaussianDropout,
  DropkitAlphaDropout,
  DropkitDropBlock,
  DropkitProbDropBlock,
  DropkitStandout,
] as const;
