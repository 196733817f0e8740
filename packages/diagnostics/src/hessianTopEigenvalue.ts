import { assertFinite, assertInteger, InvalidArgumentError } from '@dropkit/core';
import { dispose, div, mul, sqrt, stack, type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { ReplayableData } from './batchSource.js';
import {
  type CurvatureOptions,
  type HessianCheck,
  HessianVectorProducts,
  type UsedHessianMethod,
} from './hessianVectorProduct.js';
import { type DiagnosticsTarget, type Objective, toObjective } from './objective.js';
import { assertFiniteResult, dotAll, preservingState, readAndDispose } from './parameterTools.js';
import { ProbeRandom } from './rng.js';

/** Options of the iterative curvature measures ({@link hessianTopEigenvalue}, {@link hessianTrace}). */
export interface IterativeCurvatureOptions extends CurvatureOptions {
  /** The most Hessian-vector products, an integer >= 1. Default 100 (PyHessian, Cockpit). */
  readonly maxIterations?: number;
  /**
   * Stop when the estimate changes by less than this, relative: |new - old| / (|old| + 1e-6).
   * Default 1e-3 (PyHessian).
   */
  readonly tolerance?: number;
  /** Seed of the random start / probe vectors, an integer in [0, 2^53). Default 0. */
  readonly seed?: number;
}

/** An iterative estimate and how it ended. */
export interface CurvatureEstimate {
  /** The estimate. */
  readonly value: number;
  /** How many Hessian-vector products it took (the `auto` check's extra work not counted). */
  readonly iterations: number;
  /** Whether the tolerance was met before `maxIterations`. */
  readonly converged: boolean;
  /** How the Hessian-vector products were computed. */
  readonly method: UsedHessianMethod;
  /** How `auto` chose the method ({@link HessianCheck}); `skipped` when it was forced. */
  readonly check: HessianCheck;
}

/** Validated iteration settings. */
export function iterationSettings(options: IterativeCurvatureOptions): {
  maxIterations: number;
  tolerance: number;
  seed: number;
} {
  const maxIterations = assertInteger('maxIterations', options.maxIterations ?? 100, { min: 1 });
  const tolerance = assertFinite('tolerance', options.tolerance ?? 1e-3);
  if (!(tolerance > 0)) throw new InvalidArgumentError('tolerance', tolerance, 'a number > 0');
  const seed = assertInteger('seed', options.seed ?? 0, { min: 0, max: 2 ** 53 - 1 });
  return { maxIterations, tolerance, seed };
}

/** Runs a curvature measure with the weights and state restored exactly afterwards. */
export async function withProducts<T>(
  objective: Objective,
  data: ReplayableData,
  options: CurvatureOptions,
  run: (hvp: HessianVectorProducts) => Promise<T>,
): Promise<T> {
  return preservingState(objective, async () => {
    const hvp = await HessianVectorProducts.create(objective, data, options);
    try {
      return await run(hvp);
    } finally {
      hvp.dispose();
    }
  });
}

/**
 * The Hessian eigenvalue of largest magnitude (the top eigenvalue near a minimum, where the
 * Hessian is positive semi-definite) by power iteration on Hessian-vector products, as PyHessian:
 * a random normal start, v <- Hv / ||Hv||, the Rayleigh quotient v'Hv as the estimate, stopping
 * when it changes by less than `tolerance` relative. Measured in inference mode unless
 * `training: true`; the loss is the batch-size-weighted mean over `data`. Weights and state are
 * restored bit for bit afterwards.
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param data - the batches the Hessian is taken over (read once per product).
 * @param options - {@link IterativeCurvatureOptions}.
 * @returns `{value, iterations, converged, method, check}`.
 * @throws InvalidArgumentError for bad options or data; DropkitError for a non-finite loss.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { hessianTopEigenvalue } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.ones([3]));
 * const a = tf.tensor1d([4, 2, 1]);
 * // 0.5 w'Aw with A = diag(4, 2, 1): top eigenvalue 4
 * const objective = { params: [w], loss: () => tf.mul(0.5, tf.sum(tf.mul(a, tf.square(w)))) };
 * const batch = { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) };
 * const r = await hessianTopEigenvalue(objective, batch, { tolerance: 1e-6 });
 * console.log(r.value.toFixed(3), r.converged, r.method); // 4.000 true exact
 * ```
 */
export async function hessianTopEigenvalue(
  target: DiagnosticsTarget,
  data: ReplayableData,
  options: IterativeCurvatureOptions = {},
): Promise<CurvatureEstimate> {
  const objective = toObjective(target);
  const { maxIterations, tolerance, seed } = iterationSettings(options);
  return withProducts(objective, data, options, async (hvp) => {
    const rng = new ProbeRandom(seed);
    let v: Tensor[] = normalized(objective.params.map((p) => rng.normal(p.shape)));
    let estimate: number | null = null;
    let iterations = 0;
    let converged = false;
    try {
      for (let i = 0; i < maxIterations; i++) {
        const hv = await hvp.product(v);
        iterations++;
        const [rq, hh] = await readAndDispose(tidy(() => stack([dotAll(hv, v), dotAll(hv, hv)])));
        const current = assertFiniteResult('the Rayleigh quotient', rq as number);
        dispose(v);
        if (!((hh as number) > 0)) {
          // Hv = 0: v is in the null space; with a random start, H is 0 along every direction tried.
          dispose(hv);
          v = [];
          estimate = current;
          converged = true;
          break;
        }
        v = tidy(() => hv.map((t) => mul(t, 1 / Math.sqrt(hh as number))));
        dispose(hv);
        if (
          estimate !== null &&
          Math.abs(current - estimate) / (Math.abs(estimate) + 1e-6) < tolerance
        ) {
          estimate = current;
          converged = true;
          break;
        }
        estimate = current;
      }
    } finally {
      dispose(v);
    }
    return {
      value: estimate as number,
      iterations,
      converged,
      method: hvp.method as UsedHessianMethod,
      check: hvp.check,
    };
  });
}

/** Scales a list of tensors to unit norm over all of them (and disposes the input). */
function normalized(v: Tensor[]): Tensor[] {
  return tidy(() => {
    const norm = sqrt(dotAll(v, v));
    const out = v.map((t) => div(t, norm));
    dispose(v);
    return out;
  });
}
