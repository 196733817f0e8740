import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  customGrad,
  mul,
  op,
  sigmoid,
  type Tensor,
  type TensorLike,
  tensor,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { DropkitStandout, type StandoutAttrs } from '../kernel_names.js';
import { standoutImpl } from '../kernels/cpu/DropkitStandout.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { floatTensor } from '../validate.js';

/** Options of {@link standout}. */
export interface StandoutOptions {
  /** The slope of the keep probability in the pre-activation. Default 1. */
  readonly alpha?: number;
  /** The offset of the keep probability. Default 0. */
  readonly beta?: number;
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the output is x * p, the expected value (the paper's test-time rule). Default true. */
  readonly training?: boolean;
}

/**
 * Standout, or adaptive dropout (Ba & Frey, 2013): each unit is kept with its own probability
 * p = sigmoid(alpha * a + beta), computed from the layer's pre-activation a, so strongly driven
 * units are kept more often. Kept units pass unscaled (as in the paper); at inference the output
 * is x * p. Unit i is kept iff its 24-bit uniform is below round(p * 2^24), p rounded to float32;
 * backends agree bit for bit except where their exp rounds differently right at a threshold. The
 * gradient is dy * keep for x (regenerated) and zero for a: the sampling is not differentiated.
 *
 * @param x - the layer's output (e.g. relu(a)), a float32 tensor.
 * @param preActivation - a, of x's shape.
 * @param options - {@link StandoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for non-float inputs, different shapes, a non-finite alpha or beta,
 *   or a bad seed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { standout } from '@dropkit/ops';
 * const a = tf.tensor([-20, 20]);
 * const y = standout(tf.relu(a), a, { seed: 1 });
 * console.log(Array.from(y.dataSync())); // [ 0, 20 ]
 * ```
 */
function standout_(
  x: Tensor | TensorLike,
  preActivation: Tensor | TensorLike,
  options: StandoutOptions = {},
): Tensor {
  const $x = floatTensor('x', x);
  const $a = floatTensor('preActivation', preActivation);
  if ($a.shape.join() !== $x.shape.join()) {
    throw new InvalidArgumentError('preActivation.shape', $a.shape, `x's shape [${$x.shape}]`);
  }
  const alpha = assertFinite('alpha', options.alpha ?? 1);
  const beta = assertFinite('beta', options.beta ?? 0);
  if (options.training === false) return mul($x, sigmoid(add(mul($a, alpha), beta)));
  const attrs: StandoutAttrs = { alpha, beta, ...resolveSeed(options.seed) };
  return runDropkitKernel(DropkitStandout, { x: $x, a: $a }, attrs, () => {
    const keep = () => {
      const ones = new Float32Array($x.size).fill(1);
      return tensor(standoutImpl(ones, $a.dataSync() as Float32Array, attrs), $x.shape, 'float32');
    };
    return customGrad((input, pre) => ({
      value: mul(input as Tensor, keep()),
      gradFunc: (dy: Tensor) => [mul(dy, keep()), zerosLike(pre as Tensor)],
    }))($x, $a);
  });
}

export const standout = op({ standout_ });
