import { assertRate } from '@dropkit/core';
import {
  add,
  customGrad,
  mul,
  op,
  scalar,
  type Tensor,
  type TensorLike,
  tensor,
} from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { type AlphaDropoutAttrs, DropkitAlphaDropout } from '../kernel_names.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { rateThreshold } from '../rng/noise.js';
import { floatTensor, resolveNoiseShape } from '../validate.js';
import { dropoutMultipliers } from './dropout.js';

/** SELU's alpha (Klambauer et al. 2017), as Keras and PyTorch define it. */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale (Klambauer et al. 2017), as Keras and PyTorch define it. */
export const SELU_SCALE = 1.0507009873554805;

/** Options of {@link alphaDropout}. */
export interface AlphaDropoutOptions {
  /** The probability of dropping an element, in [0, 1). */
  readonly rate: number;
  /** Keras-style noise shape, as in `dropout`. */
  readonly noiseShape?: readonly (number | null)[];
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

/**
 * The affine correction of alpha dropout for a rate, in float64 (Keras's and PyTorch's
 * formula): dropped units are set to alphaP = -alpha * scale, then out = a * value + b with
 * a = ((1 - rate)(1 + rate alphaP^2))^-1/2 and b = -a alphaP rate keeps zero mean and unit
 * variance.
 *
 * @param rate - the drop rate, in [0, 1).
 * @returns a, b and alphaP.
 * @throws InvalidArgumentError for a rate outside [0, 1) or NaN.
 * @example
 * ```ts
 * import { alphaDropoutCoefficients } from '@dropkit/ops';
 * const { a, b } = alphaDropoutCoefficients(0);
 * console.log(a, b); // 1 0
 * ```
 */
export function alphaDropoutCoefficients(rate: number): { a: number; b: number; alphaP: number } {
  assertRate('rate', rate);
  const alphaP = -SELU_ALPHA * SELU_SCALE;
  const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
  const b = -a * alphaP * rate;
  return { a, b: b === 0 ? 0 : b, alphaP };
}

/**
 * Alpha dropout (Klambauer et al. 2017) with the Keras / PyTorch formula: dropped units are set to
 * alphaP = -alpha * scale, SELU's negative saturation value, then out = a * value + b with
 * a = ((1 - rate)(1 + rate alphaP^2))^-1/2 and b = -a alphaP rate, which keeps mean 0 and
 * variance 1 for standardized inputs. tfjs-layers' `AlphaDropout` (4.22) computes
 * `x * keep + (keep - 1) * alphaP`, which sets dropped units to +|alphaP| (the wrong sign): on
 * N(0, 1) input its output mean drifts to 2b (about 0.91 at rate 0.3); this op does not. The mask
 * is dropout's mask for the same seed and noise shape (dropped iff u < round(rate * 2^24)), so the
 * kept set equals `dropout`'s. In float32, with a, b and alphaP rounded to float32:
 * t = x where kept, x * 0 + alphaP where dropped (so an infinite or NaN x gives NaN there, as in
 * Keras and PyTorch), out = fround(fround(a * t) + b); the composed fallback computes the same
 * with tfjs's `mul` and `add` and matches the cpu kernel bit for bit. The gradient is
 * dy * a * keep: the dropout kernel with scale a on dy, regenerating the mask.
 *
 * @param x - a float32 tensor, typically SELU activations.
 * @param options - {@link AlphaDropoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1) or NaN, a non-float x, a noise shape
 *   that does not broadcast, or a seed that is not an integer in [0, 2^53).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { alphaDropout } from '@dropkit/ops';
 * const y = alphaDropout(tf.randomNormal([20000], 0, 1, 'float32', 1), { rate: 0.3, seed: 2 });
 * const mean = tf.mean(y).dataSync()[0] ?? Number.NaN;
 * console.log(Math.abs(mean) < 0.05); // true
 * ```
 */
function alphaDropout_(x: Tensor | TensorLike, options: AlphaDropoutOptions): Tensor {
  const $x = floatTensor('x', x);
  const rate = assertRate('rate', options?.rate);
  const noiseShape = resolveNoiseShape($x, options.noiseShape);
  if (options.training === false || rate === 0) return $x.clone();
  const { a, b, alphaP } = alphaDropoutCoefficients(rate);
  const attrs: AlphaDropoutAttrs = {
    threshold: rateThreshold(rate),
    a: Math.fround(a),
    b: Math.fround(b),
    alphaP: Math.fround(alphaP),
    noiseShape,
    ...resolveSeed(options.seed),
  };
  return runDropkitKernel(DropkitAlphaDropout, { x: $x }, attrs, () =>
    composedAlphaDropout($x, attrs),
  );
}

/**
 * The composed fallback: Keras's `a * (x * keep + alphaP * (1 - keep)) + b` with tfjs ops, keep
 * and alphaP * (1 - keep) drawn over the noise shape by the reference RNG. For a kept element
 * the second term is -0, so x passes exactly; for a dropped one x * 0 + alphaP is alphaP (NaN for
 * a non-finite x), the kernel's t.
 */
function composedAlphaDropout(x: Tensor, attrs: AlphaDropoutAttrs): Tensor {
  const keep01 = () => dropoutMultipliers({ ...attrs, scale: 1 });
  return customGrad((input) => {
    const keep = keep01();
    const alphaP = Math.fround(attrs.alphaP);
    const droppedTerm = Float32Array.from(keep, (k) => (1 - k) * alphaP);
    const t = add(
      mul(input as Tensor, tensor(keep, attrs.noiseShape, 'float32')),
      tensor(droppedTerm, attrs.noiseShape, 'float32'),
    );
    return {
      value: add(mul(t, scalar(attrs.a)), scalar(attrs.b)),
      gradFunc: (dy: Tensor) =>
        mul(dy, mul(tensor(keep01(), attrs.noiseShape, 'float32'), scalar(attrs.a))),
    };
  })(x);
}

export const alphaDropout = op({ alphaDropout_ });
