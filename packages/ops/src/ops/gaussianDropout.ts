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
 * Gaussian dropout (Srivastava et al. 2014; Keras and tfjs `GaussianDropout`): multiplies each
 * element by 1 + stddev * z, z standard normal and stddev = sqrt(rate / (1 - rate)), so the
 * expected output equals the input and Var(out / x) = rate / (1 - rate). In float32:
 * s = fround(stddev), z = fround(Box-Muller) from the normal layout of threefry.ts (what
 * `normalNoise` returns), m = fround(1 + s * z), out = fround(x * m). The composed fallback builds
 * the same m in JavaScript and applies it with `tf.mul`, bit-identical to the cpu kernel; other
 * backends agree to 1e-6 relative (their log and cos round differently). The gradient is
 * dy * m, the same kernel run on dy, so the noise is regenerated rather than kept.
 *
 * @param x - a float32 tensor.
 * @param options - {@link GaussianDropoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1) or NaN, a non-float x, or a seed that
 *   is not an integer in [0, 2^53).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gaussianDropout } from '@dropkit/ops';
 * const y = gaussianDropout(tf.ones([1000]), { rate: 0.5, seed: 1 });
 * const mean = tf.mean(y).dataSync()[0] ?? Number.NaN;
 * console.log(Math.abs(mean - 1) < 0.2); // true
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
    // Drawn again in the backward pass instead of kept, as the fused kernel's gradient does.
    const noise = () => tensor(gaussianMultipliers($x.size, attrs), $x.shape, 'float32');
    return customGrad((input) => ({
      value: mul(input as Tensor, noise()),
      gradFunc: (dy: Tensor) => mul(dy, noise()),
    }))($x);
  });
}

export const gaussianDropout = op({ gaussianDropout_ });
