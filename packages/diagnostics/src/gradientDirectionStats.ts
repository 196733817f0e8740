import { assertInteger, DropkitError, InvalidArgumentError } from '@dropkit/core';
import { add, dispose, mul, stack, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  BatchReader,
  type BatchSource,
  batchSizeOf,
  disposeBatch,
  sliceBatch,
} from './batchSource.js';
import { type DiagnosticsTarget, type Objective, toObjective } from './objective.js';
import {
  assertFiniteResult,
  dotAll,
  lossGradients,
  preservingState,
  readAndDispose,
} from './parameterTools.js';

/** Options of {@link gradientDirectionStats}. */
export interface GradientDirectionOptions {
  /** Where the K mini-batches come from; K are taken, the rest is left in the source. */
  readonly batches: BatchSource;
  /**
   * The training set (or any stream of it) for the full gradient ĝ; read batch by batch until it
   * ends or `fullSubsetSize` examples were used. May be the same object as `batches` only if it
   * is an array (each measurement iterates an array from its start).
   */
  readonly fullData: BatchSource;
  /** K, the number of mini-batch gradients, an integer >= 2. Default 16. */
  readonly k?: number;
  /**
   * How many examples of `fullData` make ĝ (the last batch is cut to fit). Default: all of it;
   * required when `fullData` is a function.
   */
  readonly fullSubsetSize?: number;
  /**
   * Dispose every batch after use: for sources that make new tensors per batch and hand them
   * over. Default false (the caller's tensors are left alone).
   */
  readonly disposeBatches?: boolean;
}

/** What {@link gradientDirectionStats} returns. */
export interface GradientDirectionReport {
  /** Gradient direction variance: mean over pairs i < j of 1 - cos(g_i, g_j). */
  readonly gdv: number;
  /** Gradient direction error: mean over the K gradients of 1 - cos(g, ĝ). */
  readonly gde: number;
  /** K, the number of mini-batch gradients. */
  readonly k: number;
  /** The number of examples ĝ was taken over. */
  readonly fullSubsetSize: number;
  /** The size of the first mini-batch (a loader's short last batch may differ). */
  readonly batchSize: number;
}

/** ĝ over a stream, accumulated as the batch-size-weighted sum of per-batch gradients. */
async function fullGradient(
  objective: Objective,
  source: BatchSource,
  limit: number | undefined,
  disposeBatches: boolean,
): Promise<{ grads: Tensor[]; count: number }> {
  const reader = new BatchReader(source, 'fullData');
  if (reader.endless && limit === undefined) {
    throw new InvalidArgumentError(
      'fullSubsetSize',
      undefined,
      'an integer >= 1 when fullData is a function (it never ends on its own)',
    );
  }
  let acc: Tensor[] | null = null;
  let count = 0;
  try {
    while (limit === undefined || count < limit) {
      const batch = await reader.next();
      if (batch === null) break;
      const n = batchSizeOf(batch);
      const take = limit === undefined ? n : Math.min(n, limit - count);
      const used = take < n ? sliceBatch(batch, 0, take) : batch;
      try {
        // Inference mode: the definition's ĝ is the gradient with dropout off.
        const { value, grads } = lossGradients(objective, used, false);
        const prev: Tensor[] | null = acc;
        acc = tidy(() =>
          grads.map((g, i) => (prev ? add(prev[i] as Tensor, mul(g, take)) : mul(g, take))),
        );
        dispose([value, ...grads, ...(prev ?? [])]);
      } finally {
        if (used !== batch) disposeBatch(used);
        if (disposeBatches) disposeBatch(batch);
      }
      count += take;
    }
  } catch (err) {
    dispose(acc ?? []);
    throw err;
  }
  if (acc === null)
    throw new InvalidArgumentError('fullData', 'an empty source', 'at least one batch');
  return { grads: acc, count };
}

const cosineDistance = (dot: number, na: number, nb: number) =>
  1 - Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));

/**
 * The gradient direction variance (GDV) and error (GDE) of "Dropout Reduces Underfitting" (Liu et
 * al. 2023): K mini-batch gradients g_1..g_K at the same weights with dropout in training mode at
 * its current rate; ĝ, the gradient over the training set (or its first `fullSubsetSize`
 * examples) with dropout in inference mode, accumulated batch by batch; GDV = mean over pairs
 * i < j of 1 - cos(g_i, g_j), GDE = mean over k of 1 - cos(g_k, ĝ). Cosines are over all
 * parameters concatenated. Holds K + 1 gradients, never the dataset.
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param options - {@link GradientDirectionOptions}.
 * @returns `{gdv, gde, k, fullSubsetSize, batchSize}`, plain numbers.
 * @throws InvalidArgumentError for bad options or a source with fewer than K batches;
 *   DropkitError when a gradient is zero (its direction is undefined) or not finite.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientDirectionStats } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.zeros([2]));
 * // loss -<w, mean x>: each batch's gradient is minus its mean input
 * const objective = { params: [w], loss: (b) => tf.neg(tf.sum(tf.mul(w, tf.mean(b.xs, 0)))) };
 * const batches = [
 *   { xs: tf.tensor2d([[1, 0]]), ys: tf.zeros([1]) },
 *   { xs: tf.tensor2d([[0, 1]]), ys: tf.zeros([1]) },
 * ];
 * const r = await gradientDirectionStats(objective, { batches, fullData: batches, k: 2 });
 * console.log(r.gdv, r.gde.toFixed(4), r.fullSubsetSize); // 1 0.2929 2
 * ```
 */
export async function gradientDirectionStats(
  target: DiagnosticsTarget,
  options: GradientDirectionOptions,
): Promise<GradientDirectionReport> {
  const objective = toObjective(target);
  const k = assertInteger('k', options.k ?? 16, { min: 2 });
  const limit =
    options.fullSubsetSize === undefined
      ? undefined
      : assertInteger('fullSubsetSize', options.fullSubsetSize, { min: 1 });
  const disposeBatches = options.disposeBatches ?? false;
  const reader = new BatchReader(options.batches, 'batches');
  return preservingState(objective, async () => {
    const full = await fullGradient(objective, options.fullData, limit, disposeBatches);
    const kept: Tensor[][] = [];
    // gram[i][j] = <g_i, g_j> for j <= i; toFull[i] = <g_i, ĝ>.
    const gram: number[][] = [];
    const toFull: number[] = [];
    let batchSize = 0;
    try {
      const [fullSq] = await readAndDispose(dotAll(full.grads, full.grads));
      if (!((fullSq as number) > 0)) {
        assertFiniteResult('the squared norm of the full gradient', fullSq as number);
        throw new DropkitError('The full-data gradient ĝ is zero: its direction is undefined.');
      }
      for (let i = 0; i < k; i++) {
        const batch = await reader.next();
        if (batch === null) {
          throw new InvalidArgumentError(
            'batches',
            `a source that ended after ${i} batches`,
            `at least k = ${k}`,
          );
        }
        if (i === 0) batchSize = batchSizeOf(batch);
        const { value, grads } = lossGradients(objective, batch, true);
        value.dispose();
        if (disposeBatches) disposeBatch(batch);
        const row = await readAndDispose(
          tidy(() =>
            stack([
              ...kept.map((g) => dotAll(grads, g)),
              dotAll(grads, grads),
              dotAll(grads, full.grads),
            ]),
          ),
        );
        kept.push(grads);
        const self = assertFiniteResult(
          `the squared norm of mini-batch gradient ${i}`,
          row[i] as number,
        );
        if (!(self > 0)) {
          throw new DropkitError(
            `The gradient of mini-batch ${i} is zero: its direction is undefined.`,
          );
        }
        gram.push(Array.from(row.subarray(0, i + 1)));
        toFull.push(row[i + 1] as number);
      }
      let gdv = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < i; j++) {
          gdv += cosineDistance(
            gram[i]?.[j] as number,
            gram[i]?.[i] as number,
            gram[j]?.[j] as number,
          );
        }
      }
      gdv /= (k * (k - 1)) / 2;
      let gde = 0;
      for (let i = 0; i < k; i++) {
        gde += cosineDistance(toFull[i] as number, gram[i]?.[i] as number, fullSq as number);
      }
      gde /= k;
      return {
        gdv: assertFiniteResult('GDV', gdv),
        gde: assertFiniteResult('GDE', gde),
        k,
        fullSubsetSize: full.count,
        batchSize,
      };
    } finally {
      dispose(full.grads);
      for (const g of kept) dispose(g);
    }
  });
}
