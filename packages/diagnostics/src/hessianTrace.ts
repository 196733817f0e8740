import { dispose, type Tensor } from '@tensorflow/tfjs-core';
import type { ReplayableData } from './batchSource.js';
import {
  type CurvatureEstimate,
  type IterativeCurvatureOptions,
  iterationSettings,
  withProducts,
} from './hessianTopEigenvalue.js';
import type { UsedHessianMethod } from './hessianVectorProduct.js';
import { type DiagnosticsTarget, toObjective } from './objective.js';
import { assertFiniteResult, dotAll, readAndDispose } from './parameterTools.js';
import { ProbeRandom } from './rng.js';

/** What {@link hessianTrace} returns: the estimate and the spread of its samples. */
export interface TraceEstimate extends CurvatureEstimate {
  /**
   * The standard error of the mean of the v'Hv samples (sample standard deviation / sqrt(n)); 0
   * after a single sample.
   */
  readonly standardError: number;
}

/**
 * The Hessian trace by Hutchinson's estimator with Rademacher vectors, as PyHessian: samples
 * v'Hv with independent ±1 entries (unbiased, variance 2 Σ_{i≠j} H_ij², so exact for a diagonal
 * Hessian), their running mean as the estimate, stopping when it changes by less than
 * `tolerance` relative. Measured in inference mode unless `training: true`; weights and state
 * are restored bit for bit afterwards.
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param data - the batches the Hessian is taken over (read once per product).
 * @param options - {@link IterativeCurvatureOptions}.
 * @returns `{value, iterations, converged, method, check, standardError}`.
 * @throws InvalidArgumentError for bad options or data; DropkitError for a non-finite loss.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { hessianTrace } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.ones([3]));
 * const a = tf.tensor1d([4, 2, 1]);
 * // 0.5 w'Aw with A = diag(4, 2, 1): trace 7, and every Rademacher sample is exactly 7
 * const objective = { params: [w], loss: () => tf.mul(0.5, tf.sum(tf.mul(a, tf.square(w)))) };
 * const r = await hessianTrace(objective, { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) });
 * console.log(r.value, r.iterations, r.standardError); // 7 2 0
 * ```
 */
export async function hessianTrace(
  target: DiagnosticsTarget,
  data: ReplayableData,
  options: IterativeCurvatureOptions = {},
): Promise<TraceEstimate> {
  const objective = toObjective(target);
  const { maxIterations, tolerance, seed } = iterationSettings(options);
  return withProducts(objective, data, options, async (hvp) => {
    const rng = new ProbeRandom(seed);
    const samples: number[] = [];
    let estimate = 0;
    let converged = false;
    for (let i = 0; i < maxIterations; i++) {
      const v: Tensor[] = objective.params.map((p) => rng.rademacher(p.shape));
      const hv = await hvp.product(v);
      const [s] = await readAndDispose(dotAll(hv, v));
      dispose([...v, ...hv]);
      samples.push(assertFiniteResult('a Hutchinson sample', s as number));
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      // PyHessian's test against the previous mean (0 before the first sample).
      const done = Math.abs(mean - estimate) / (Math.abs(estimate) + 1e-6) < tolerance;
      estimate = mean;
      if (done) {
        converged = true;
        break;
      }
    }
    const n = samples.length;
    const variance = n > 1 ? samples.reduce((a, b) => a + (b - estimate) ** 2, 0) / (n - 1) : 0;
    return {
      value: estimate,
      iterations: n,
      converged,
      method: hvp.method as UsedHessianMethod,
      check: hvp.check,
      standardError: Math.sqrt(variance / n),
    };
  });
}
