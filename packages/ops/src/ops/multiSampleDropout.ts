import { assertInteger, assertRate, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  div,
  type Scalar,
  scalar,
  type Tensor,
  type TensorLike,
  tidy,
} from '@tensorflow/tfjs-core';
import { resolveSeeds, type SeedLike } from '../rng/generator.js';
import { floatTensor, resolveNoiseShape } from '../validate.js';
import { applyDropout } from './dropout.js';

/** Options of {@link multiSampleDropout}. */
export interface MultiSampleDropoutOptions {
  /** The dropout rate of every sample, in [0, 1). */
  readonly rate: number;
  /** How many dropout samples M, an integer >= 1. Inoue (2019) used 8. */
  readonly samples: number;
  /** The shared head applied to each dropped copy (e.g. the final dense layer). Default: none. */
  readonly head?: (dropped: Tensor) => Tensor;
  /** Keras-style noise shape, as in `dropout`. */
  readonly noiseShape?: readonly (number | null)[];
  /**
   * A number: streams 0..M-1 of that seed (the same M masks every call). A generator: M new
   * streams per call. Default: the default generator.
   */
  readonly seed?: SeedLike;
  /** When false every sample is the plain input (so the M outputs are equal). Default true. */
  readonly training?: boolean;
}

/** Options of the loss form of {@link multiSampleDropout}. */
export interface MultiSampleDropoutLossOptions extends MultiSampleDropoutOptions {
  /** The loss of one sample's output; the M losses are averaged. */
  readonly loss: (output: Tensor) => Scalar;
}

/**
 * Multi-sample dropout (Inoue, 2019): M dropout samples of the same features, each through the
 * shared head; returns the M outputs, or, given a `loss`, the loss averaged over the samples
 * (differentiable, so it can be the training loss). Each sample draws its own mask.
 *
 * @param x - the shared trunk's output, a float32 tensor.
 * @param options - {@link MultiSampleDropoutOptions} or {@link MultiSampleDropoutLossOptions}.
 * @returns the M outputs, or the averaged loss.
 * @throws InvalidArgumentError for a bad rate, sample count, noise shape or seed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { multiSampleDropout } from '@dropkit/ops';
 * const outs = multiSampleDropout(tf.ones([2, 4]), { rate: 0.5, samples: 3, seed: 1 });
 * console.log(outs.length, outs[0].shape); // 3 [ 2, 4 ]
 * const loss = multiSampleDropout(tf.ones([2, 4]), { rate: 0.5, samples: 8, seed: 1, loss: (y) => tf.mean(y) });
 * console.log(loss.rank); // 0
 * ```
 */
export function multiSampleDropout(
  x: Tensor | TensorLike,
  options: MultiSampleDropoutLossOptions,
): Scalar;
export function multiSampleDropout(
  x: Tensor | TensorLike,
  options: MultiSampleDropoutOptions,
): Tensor[];
export function multiSampleDropout(
  x: Tensor | TensorLike,
  options: MultiSampleDropoutOptions | MultiSampleDropoutLossOptions,
): Tensor[] | Scalar {
  const rate = assertRate('rate', options?.rate);
  const samples = assertInteger('samples', options.samples, { min: 1 });
  const lossFn = 'loss' in options ? options.loss : undefined;
  if ('loss' in options && typeof lossFn !== 'function') {
    throw new InvalidArgumentError('loss', lossFn, 'a function from one output to a scalar loss');
  }
  return tidy(() => {
    const $x = floatTensor('x', x);
    const noiseShape = resolveNoiseShape($x, options.noiseShape);
    const on = options.training !== false && rate > 0;
    const keys = on ? resolveSeeds(options.seed, samples) : [];
    const outputs: Tensor[] = [];
    for (let m = 0; m < samples; m++) {
      const key = keys[m];
      const dropped = key ? applyDropout($x, rate, 1 / (1 - rate), noiseShape, key) : $x.clone();
      outputs.push(options.head ? options.head(dropped) : dropped);
    }
    if (!lossFn) return outputs;
    let total: Tensor = scalar(0);
    for (const out of outputs) {
      const l = lossFn(out);
      if (l.rank !== 0)
        throw new InvalidArgumentError('loss', `a tensor of shape [${l.shape}]`, 'a scalar');
      total = add(total, l);
    }
    return div(total, samples) as Scalar;
  });
}
