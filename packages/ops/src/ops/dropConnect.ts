import { assertRate, InvalidArgumentError } from '@dropkit/core';
import { add, matMul, op, type Tensor, type TensorLike } from '@tensorflow/tfjs-core';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { assertRank, floatTensor } from '../validate.js';
import { applyDropout } from './dropout.js';

/** Options of {@link dropConnect}. */
export interface DropConnectOptions {
  /** The probability of dropping each weight, in [0, 1). */
  readonly rate: number;
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

/**
 * DropConnect (Wan et al., 2013): drops individual weights rather than activations, with
 * inverted scaling, so the expected weight is unchanged. Apply it to a weight tensor before use.
 *
 * @param weights - a float32 weight tensor.
 * @param options - {@link DropConnectOptions}.
 * @returns the masked, rescaled weights.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropConnect } from '@dropkit/ops';
 * const w = dropConnect(tf.ones([3, 2]), { rate: 0.5, seed: 1 });
 * console.log(w.shape); // [ 3, 2 ]
 * ```
 */
function dropConnect_(weights: Tensor | TensorLike, options: DropConnectOptions): Tensor {
  const $w = floatTensor('weights', weights);
  const rate = assertRate('rate', options?.rate);
  if (options.training === false || rate === 0) return $w.clone();
  return applyDropout($w, rate, 1 / (1 - rate), $w.shape.slice(), resolveSeed(options.seed));
}

/**
 * A dense layer with DropConnect on its kernel: `x . dropConnect(kernel) + bias`, one mask per
 * call shared by the whole batch (as in Wan et al.'s efficient variant).
 *
 * @param x - inputs, [batch, in].
 * @param kernel - weights, [in, out].
 * @param bias - [out], or null for none.
 * @param options - the rate, or {@link DropConnectOptions}.
 * @returns [batch, out].
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { denseDropConnect } from '@dropkit/ops';
 * const y = denseDropConnect(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]), { rate: 0.25, seed: 2 });
 * console.log(y.shape); // [ 2, 4 ]
 * ```
 */
function denseDropConnect_(
  x: Tensor | TensorLike,
  kernel: Tensor | TensorLike,
  bias: Tensor | TensorLike | null,
  options: number | DropConnectOptions,
): Tensor {
  const $x = floatTensor('x', x);
  const $k = floatTensor('kernel', kernel);
  assertRank('x', $x, [2], '[batch, in]');
  assertRank('kernel', $k, [2], '[in, out]');
  if ($x.shape[1] !== $k.shape[0]) {
    throw new InvalidArgumentError(
      'kernel.shape',
      $k.shape,
      `[${$x.shape[1]}, out] to match x of shape [${$x.shape}]`,
    );
  }
  const opts = typeof options === 'number' ? { rate: options } : options;
  const y = matMul($x, dropConnect($k, opts));
  if (bias === null) return y;
  const $b = floatTensor('bias', bias);
  if ($b.rank !== 1 || $b.shape[0] !== $k.shape[1]) {
    throw new InvalidArgumentError('bias.shape', $b.shape, `[${$k.shape[1]}]`);
  }
  return add(y, $b);
}

export const dropConnect = op({ dropConnect_ });
export const denseDropConnect = op({ denseDropConnect_ });
