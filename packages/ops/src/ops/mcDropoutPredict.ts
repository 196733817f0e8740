import { assertInteger, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  div,
  greater,
  log,
  mul,
  neg,
  softmax,
  square,
  stack,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tidy,
  util,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { floatTensor } from '../validate.js';

/** Options of {@link mcDropoutPredict}. */
export interface McDropoutOptions {
  /** How many stochastic passes T, an integer >= 2. */
  readonly samples: number;
  /**
   * What `fn` returns: class probabilities (default), logits (softmax is applied) or regression
   * values (only mean and variance are reported).
   */
  readonly outputs?: 'probabilities' | 'logits' | 'regression';
}

/** What {@link mcDropoutPredict} returns; the caller owns (and disposes) the tensors. */
export interface McDropoutResult {
  /** Mean over the T passes, shaped like one output. */
  readonly mean: Tensor;
  /** Variance over the T passes (population variance, divided by T). */
  readonly variance: Tensor;
  /** Entropy of the mean prediction, in nats, one per example; null for regression. */
  readonly predictiveEntropy: Tensor | null;
  /**
   * Mutual information between prediction and weights (BALD): predictive entropy minus the mean
   * entropy of the single passes, in nats, one per example; null for regression.
   */
  readonly mutualInformation: Tensor | null;
  /** The number of passes. */
  readonly samples: number;
}

/** -sum p log p over the last axis, with 0 log 0 = 0. */
function entropy(p: Tensor): Tensor {
  const plogp = where(greater(p, 0), mul(p, log(p)), zerosLike(p));
  return neg(sum(plogp, -1));
}

/**
 * Monte Carlo dropout (Gal & Ghahramani, 2016): runs a model with dropout on at inference T times
 * and reports the mean prediction, its variance, the predictive entropy and the mutual
 * information between the prediction and the model's weights (epistemic uncertainty).
 *
 * @param fn - one stochastic forward pass with dropout in training mode, called with the input
 *   and the pass index; it returns [batch, classes] (or any shape for regression).
 * @param x - the input batch.
 * @param options - {@link McDropoutOptions}.
 * @returns {@link McDropoutResult}.
 * @throws InvalidArgumentError for fewer than 2 samples, an unknown output kind, or passes that
 *   disagree in shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { createGenerator, dropout, mcDropoutPredict } from '@dropkit/ops';
 * const w = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
 * const g = createGenerator(0);
 * const r = mcDropoutPredict((x) => tf.matMul(dropout(x, { rate: 0.5, seed: g }), w), tf.ones([2, 4]), {
 *   samples: 16,
 *   outputs: 'logits',
 * });
 * console.log(r.mean.shape, r.mutualInformation?.shape); // [ 2, 3 ] [ 2 ]
 * ```
 */
export function mcDropoutPredict(
  fn: (x: Tensor, pass: number) => Tensor,
  x: Tensor | TensorLike,
  options: McDropoutOptions,
): McDropoutResult {
  const samples = assertInteger('samples', options?.samples, { min: 2 });
  const kind = assertOneOf('outputs', options.outputs ?? 'probabilities', [
    'probabilities',
    'logits',
    'regression',
  ]);
  if (typeof fn !== 'function')
    throw new InvalidArgumentError('fn', fn, 'a function (x, pass) => Tensor');
  const [mean, variance, predictiveEntropy, mutualInformation] = tidy((): Tensor[] => {
    const $x = floatTensor('x', x);
    const passes: Tensor[] = [];
    for (let t = 0; t < samples; t++) {
      const raw = fn($x, t);
      const out = kind === 'logits' ? softmax(raw) : raw;
      const first = passes[0];
      if (first && !util.arraysEqual(out.shape, first.shape)) {
        throw new InvalidArgumentError(
          `output of pass ${t}`,
          `shape [${out.shape}]`,
          `the shape of pass 0, [${first.shape}]`,
        );
      }
      passes.push(out);
    }
    const all = stack(passes);
    const m = div(sum(all, 0), samples);
    const v = div(sum(square(sub(all, m)), 0), samples);
    if (kind === 'regression') return [m, v];
    const h = entropy(m);
    const expectedEntropy = div(
      passes.map(entropy).reduce((a, b) => add(a, b)),
      samples,
    );
    return [m, v, h, sub(h, expectedEntropy)];
  });
  return {
    mean: mean as Tensor,
    variance: variance as Tensor,
    predictiveEntropy: predictiveEntropy ?? null,
    mutualInformation: mutualInformation ?? null,
    samples,
  };
}
