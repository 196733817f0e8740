import { dispose, square, stack, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { batchSizeOf } from './batchSource.js';
import type { Batch, DiagnosticsTarget, Objective } from './objective.js';
import { groupNames, toObjective } from './objective.js';
import {
  assertFiniteResult,
  lossGradients,
  preservingState,
  readAndDispose,
} from './parameterTools.js';

/** An L2 norm over all parameters, and the same per layer (group) and per parameter. */
export interface NormReport {
  /** The norm over every parameter, concatenated. */
  readonly total: number;
  /** Per layer (the objective's groups); the entries sum in quadrature to `total`. */
  readonly byLayer: Readonly<Record<string, number>>;
  /** Per parameter, keyed by variable name. */
  readonly byParam: Readonly<Record<string, number>>;
}

/** Builds a {@link NormReport} from the squared norm of each parameter's tensor. */
export function normReport(objective: Objective, squares: ArrayLike<number>): NormReport {
  const groups = groupNames(objective);
  const byGroup = new Map<string, number>();
  const byParam: Record<string, number> = {};
  let total = 0;
  objective.params.forEach((p, i) => {
    const s = assertFiniteResult(`the squared norm of ${p.name}`, squares[i] as number);
    byParam[p.name] = Math.sqrt(s);
    const g = groups[i] as string;
    byGroup.set(g, (byGroup.get(g) ?? 0) + s);
    total += s;
  });
  const byLayer: Record<string, number> = {};
  for (const [g, s] of byGroup) byLayer[g] = Math.sqrt(s);
  return { total: Math.sqrt(total), byLayer, byParam };
}

/** The squared L2 norm of each tensor, read back as numbers. */
export async function squaredNorms(tensors: readonly Tensor[]): Promise<Float64Array> {
  return readAndDispose(tidy(() => stack(tensors.map((t) => sum(square(t))))));
}

/** Options of {@link gradientNorm}. */
export interface GradientNormOptions {
  /**
   * Dropout on (true: the gradient the optimizer takes at this step) or inference mode (false).
   * Default true.
   */
  readonly training?: boolean;
}

/**
 * The L2 norm of the loss gradient on one batch, `||g||_2` over the whole model, per layer and
 * per parameter (Liu et al. 2023 plot the whole-model norm; Cockpit's per-layer norms).
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param batch - the batch; not disposed.
 * @param options - {@link GradientNormOptions}.
 * @returns plain numbers; every tensor made on the way is disposed.
 * @throws InvalidArgumentError for a malformed target or batch; DropkitError when the gradient is
 *   not finite.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientNorm } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.tensor1d([3, 4]), true, 'w');
 * // loss 0.5 ||w||^2 has gradient w, of norm 5
 * const objective = { params: [w], loss: () => tf.mul(0.5, tf.sum(tf.square(w))) };
 * const batch = { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) };
 * const report = await gradientNorm(objective, batch);
 * console.log(report.total, report.byParam.w); // 5 5
 * ```
 */
export async function gradientNorm(
  target: DiagnosticsTarget,
  batch: Batch,
  options: GradientNormOptions = {},
): Promise<NormReport> {
  const objective = toObjective(target);
  batchSizeOf(batch);
  const training = options.training ?? true;
  return preservingState(objective, async () => {
    const { value, grads } = lossGradients(objective, batch, training);
    const squares = await squaredNorms(grads);
    dispose([value, ...grads]);
    return normReport(objective, squares);
  });
}
