import { assertRate } from '@dropkit/core';
import {
  add,
  customGrad,
  mul,
  op,
  scalar,
  sub,
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

/** SELU's alpha and scale (Klambauer et al. 2017), as Keras and PyTorch define them. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

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
 * The affine correction of alpha dropout for a rate: dropped units are set to
 * alphaP = -alpha * scale, then out = a * value + b keeps zero mean and unit variance.
 *
 * @param rate - the drop rate, in [0, 1).
 * @returns a, b and alphaP.
 * @example
 * ```ts
 * import { alphaDropoutCoefficients } from '@dropkit/ops';
 * const { a, b } = alphaDropoutCoefficients(0);
 * console.log(a, b); // 1 0
 * ```
 */
export function alphaDropoutCoefficients(rate: number): { a: number; b: number; alphaP: number } {
  const alphaP = -SELU_ALPHA * SELU_SCALE;
  const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
  const b = -a * alphaP * rate;
  return { a, b: b === 0 ? 0 : b, alphaP };
}

/**
 * Alpha dropout (Klambauer et al. 2017) with the Keras / PyTorch formula: dropped units are set to
 * alphaP = -alpha * scale of SELU, then an affine map a * value + b restores mean 0 and variance 1
 * for standardized inputs. tfjs-layers' AlphaDropout sets dropped units to +alphaP (the wrong
 * sign), which makes its output mean drift; this op does not. The mask is dropout's mask for the
 * same seed: dropped iff u < round(rate * 2^24).
 *
 * @param x - a float32 tensor, typically SELU activations.
 * @param options - {@link AlphaDropoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1), a non-float x, a noise shape that does
 *   not broadcast or a bad seed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { alphaDropout } from '@dropkit/ops';
 * const y = alphaDropout(tf.randomNormal([20000], 0, 1, 'float32', 1), { rate: 0.3, seed: 2 });
 * console.log(Math.abs(tf.mean(y).dataSync()[0]) < 0.05); // true
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

/** keep * (a x + b) + (1 - keep) * (a alphaP + b), all in float32 tfjs ops. */
function composedAlphaDropout(x: Tensor, attrs: AlphaDropoutAttrs): Tensor {
  const keep01 = () =>
    tensor(dropoutMultipliers({ ...attrs, scale: 1 }), attrs.noiseShape, 'float32');
  const dropped = Math.fround(Math.fround(attrs.a * attrs.alphaP) + attrs.b);
  return customGrad((input) => {
    const keep = keep01();
    const kept = add(mul(input as Tensor, scalar(attrs.a)), scalar(attrs.b));
    return {
      value: add(mul(keep, kept), mul(sub(scalar(1), keep), scalar(dropped))),
      gradFunc: (dy: Tensor) => mul(dy, mul(keep01(), scalar(attrs.a))),
    };
  })(x);
}

export const alphaDropout = op({ alphaDropout_ });
