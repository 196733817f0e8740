import { assertFinite, DropkitError, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  dispose,
  div,
  matMul,
  mean,
  relu,
  reshape,
  square,
  stack,
  sub,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { batchSizeOf, disposeBatch, sliceBatch } from './batchSource.js';
import { noteMemory } from './memoryWatermark.js';
import type { Batch, DiagnosticsTarget } from './objective.js';
import { groupNames, toObjective } from './objective.js';
import {
  assertFiniteResult,
  lossGradients,
  preservingState,
  readAndDispose,
} from './parameterTools.js';

/** Options of {@link gradientNoiseStats}. */
export interface GradientNoiseOptions {
  /**
   * Dropout on (true: the per-example gradients of a training step, each example with its own
   * mask) or inference mode (false). Default true.
   */
  readonly training?: boolean;
  /** The stabilizer added to the GSNR's variance, as Cockpit's MeanGSNR. Default 1e-5. */
  readonly epsilon?: number;
}

/** What {@link gradientNoiseStats} returns (Cockpit's definitions, with B the batch size). */
export interface GradientNoiseReport {
  /** B, the number of per-example gradients. */
  readonly batchSize: number;
  /** `||g||_2` of the mini-batch gradient g = mean of the per-example gradients g_i. */
  readonly gradNorm: number;
  /**
   * Mean over all parameter entries of the gradient signal-to-noise ratio g_j^2 / (var_j + eps),
   * var_j the population variance of the per-example gradients (Liu et al. 2020; Cockpit).
   */
  readonly meanGsnr: number;
  /** The same mean, per layer (the objective's groups). */
  readonly gsnrByLayer: Readonly<Record<string, number>>;
  /**
   * Norm test (Byrd et al. 2012): sqrt(sum_i ||g_i - g||^2 / (B (B-1) ||g||^2)), the smallest θ
   * for which the test passes; above 1, the batch is too small for its gradient's direction.
   */
  readonly normTest: number;
  /**
   * Inner-product test (Bollapragada et al. 2017): sqrt(Var_i(<g_i, g>) / (B ||g||^4)), sample
   * variance with B - 1.
   */
  readonly innerTest: number;
  /**
   * Orthogonality test (Bollapragada et al. 2017): sqrt(sum_i ||g_i - (<g_i,g>/||g||^2) g||^2 /
   * ((B - 1) B ||g||^2)).
   */
  readonly orthoTest: number;
}

/**
 * Gradient noise statistics from per-example gradients: the mean GSNR and Cockpit's three
 * gradient tests (norm, inner-product, orthogonality). tfjs has no vmap, so the per-example
 * gradients come from a loop: one forward and backward pass per example with batch size 1, B
 * passes in all (about B times the cost of one batch gradient at batch size B, more on GPUs
 * where size-1 passes are launch-bound), and B x P floats held at once (P the parameter count)
 * plus a B x B Gram matrix. The loss is evaluated on each one-example slice, so the objective's
 * loss must be a per-example mean (as every Keras loss is).
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param batch - B >= 2 examples; not disposed.
 * @param options - {@link GradientNoiseOptions}.
 * @returns plain numbers.
 * @throws InvalidArgumentError for a batch of one example or a bad epsilon; DropkitError when the
 *   mini-batch gradient is zero (the tests divide by its norm) or not finite.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientNoiseStats } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.zeros([2]));
 * // loss -<w, x> per example: example i's gradient is -x_i
 * const objective = { params: [w], loss: (b) => tf.neg(tf.sum(tf.mul(w, tf.mean(b.xs, 0)))) };
 * const xs = tf.tensor2d([[1, 1], [1, 1], [1, 1]]);
 * const r = await gradientNoiseStats(objective, { xs, ys: tf.zeros([3]) });
 * // identical examples: no noise, every test at 0, GSNR = 1 / eps
 * console.log(r.normTest, r.innerTest, r.orthoTest, Math.round(r.meanGsnr)); // 0 0 0 100000
 * ```
 */
export async function gradientNoiseStats(
  target: DiagnosticsTarget,
  batch: Batch,
  options: GradientNoiseOptions = {},
): Promise<GradientNoiseReport> {
  const objective = toObjective(target);
  const b = batchSizeOf(batch);
  if (b < 2)
    throw new InvalidArgumentError('batch', `a batch of ${b} example`, 'at least 2 examples');
  const epsilon = assertFinite('epsilon', options.epsilon ?? 1e-5);
  if (epsilon < 0) throw new InvalidArgumentError('epsilon', epsilon, 'a number >= 0');
  const training = options.training ?? true;
  const params = objective.params;
  return preservingState(objective, async () => {
    // perParam[v][i]: example i's gradient of parameter v, flattened.
    const perParam: Tensor[][] = params.map(() => []);
    try {
      for (let i = 0; i < b; i++) {
        const one = sliceBatch(batch, i, 1);
        const { value, grads } = lossGradients(objective, one, training);
        disposeBatch(one);
        value.dispose();
        grads.forEach((g, v) => {
          perParam[v]?.push(reshape(g, [-1]));
          g.dispose();
        });
      }
      noteMemory();
      const { gram, gsnrSums } = tidy(() => {
        let gramAcc: Tensor | null = null;
        const sums: Tensor[] = [];
        for (const rows of perParam) {
          const m = stack(rows); // [B, n]
          const mu = mean(m, 0);
          const variance = relu(sub(mean(square(m), 0), square(mu)));
          sums.push(sum(div(square(mu), add(variance, epsilon))));
          const g = matMul(m, m, false, true);
          gramAcc = gramAcc === null ? g : add(gramAcc, g);
        }
        noteMemory();
        return { gram: gramAcc as unknown as Tensor, gsnrSums: stack(sums) };
      });
      const G = await readAndDispose(gram);
      const S = await readAndDispose(gsnrSums);
      return summarize(
        b,
        G,
        S,
        objective.params.map((p) => p.size),
        groupNames(objective),
      );
    } finally {
      for (const rows of perParam) dispose(rows);
    }
  });
}

function summarize(
  b: number,
  gram: Float64Array,
  gsnrSums: Float64Array,
  sizes: readonly number[],
  groups: readonly string[],
): GradientNoiseReport {
  // <g_i, g> = (1/B) sum_j <g_i, g_j>; ||g||^2 = (1/B^2) sum_ij <g_i, g_j>.
  const proj = new Float64Array(b);
  let sumAll = 0;
  let sumSq = 0;
  for (let i = 0; i < b; i++) {
    let row = 0;
    for (let j = 0; j < b; j++) row += gram[i * b + j] as number;
    proj[i] = row / b;
    sumAll += row;
    sumSq += gram[i * b + i] as number;
  }
  const g2 = assertFiniteResult('the squared norm of the mini-batch gradient', sumAll / (b * b));
  if (!(g2 > 0)) {
    throw new DropkitError(
      'The mini-batch gradient is zero: the gradient tests divide by its norm.',
    );
  }
  let sumProj2 = 0;
  for (const p of proj) sumProj2 += p * p;
  // Rounding can push a variance that is zero in exact arithmetic slightly below 0.
  const varL1 = Math.max(0, (sumSq - b * g2) / (b - 1));
  const varProj = Math.max(0, (sumProj2 - b * g2 * g2) / (b - 1));
  const varOrth = Math.max(0, (sumSq - sumProj2 / g2) / (b - 1));
  const byGroup = new Map<string, { sum: number; count: number }>();
  let total = 0;
  let count = 0;
  sizes.forEach((n, v) => {
    const s = gsnrSums[v] as number;
    const key = groups[v] as string;
    const e = byGroup.get(key) ?? { sum: 0, count: 0 };
    e.sum += s;
    e.count += n;
    byGroup.set(key, e);
    total += s;
    count += n;
  });
  const gsnrByLayer: Record<string, number> = {};
  for (const [key, e] of byGroup) gsnrByLayer[key] = e.sum / e.count;
  return {
    batchSize: b,
    gradNorm: Math.sqrt(g2),
    meanGsnr: assertFiniteResult('the mean GSNR', total / count),
    gsnrByLayer,
    normTest: Math.sqrt(varL1 / (b * g2)),
    innerTest: Math.sqrt(varProj / (b * g2 * g2)),
    orthoTest: Math.sqrt(varOrth / (b * g2)),
  };
}
