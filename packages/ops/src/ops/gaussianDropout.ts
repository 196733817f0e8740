import { assertRate } from '@dropkit/core';
import { customGrad, mul, op, type Tensor, type TensorLike, tensor } from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '../kernel_names.js';
import { gaussianMultipliers } from '../kernels/cpu/DropkitGaussianDropout.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { floatTensor } from '../validate.js';

/** Options of {@link gaussianDropout}. */
export interface GaussianDropoutOptions {
  /** The equivalent drop rate p, in [0, 1): the noise's standard deviation is sqrt(p / (1 - p)). */
  readonly rate: number;
  /** A number (fixed noise) or a generator (new noise per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

/**
 * Gaussian dropout (Srivastava et al. 2014; Keras and tfjs `GaussianDropout`): multiplies by
 * 1 + sqrt(rate / (1 - rate)) z with z standard normal, so the expected output equals the input.
 * The noise follows the normal layout of the RNG contract; the gradient regenerates it.
 *
 * @param x - a float32 tensor.
 * @param options - {@link GaussianDropoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1), a non-float x or a bad seed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gaussianDropout } from '@dropkit/ops';
 * const y = gaussianDropout(tf.ones([1000]), { rate: 0.5, seed: 1 });
 * console.log(Math.abs(tf.mean(y).dataSync()[0] - 1) < 0.2); // true
 * ```
 */
function gaussianDropout_(x: Tensor | TensorLike, options: GaussianDropoutOptions): Tensor {
  const $x = floatTensor('x', x);
  const rate = assertRate('rate', options?.rate);
  if (options.training === false || rate === 0) return $x.clone();
  const attrs: GaussianDropoutAttrs = {
    stddev: Math.fround(Math.sqrt(rate / (1 - rate))),
    ...resolveSeed(options.seed),
  };
  return runDropkitKernel(DropkitGaussianDropout, { x: $x }, attrs, () => {
    const noise = () => tensor(gaussianMultipliers($x.size, attrs), $x.shape, 'float32');
    return customGrad((input) => ({
      value: mul(input as Tensor, noise()),
      gradFunc: (dy: Tensor) => mul(dy, noise()),
    }))($x);
  });
}

export const gaussianDropout = op({ gaussianDropout_ });
