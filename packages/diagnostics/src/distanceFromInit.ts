import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { dispose, square, stack, sub, sum, type Tensor, tidy, util } from '@tensorflow/tfjs-core';
import { type NormReport, normReport } from './gradientNorm.js';
import { type DiagnosticsTarget, toObjective } from './objective.js';
import { copyValues, readAndDispose } from './parameterTools.js';

/**
 * Copies of a model's parameters at one moment (the initialization W_0), held as tensors until
 * {@link ParameterSnapshot.dispose} is called.
 */
export class ParameterSnapshot {
  private values: Tensor[] | null;
  /** The variable names, in parameter order. */
  readonly names: readonly string[];

  /**
   * @param names - the variable names.
   * @param values - the copies; the snapshot owns them.
   */
  constructor(names: readonly string[], values: Tensor[]) {
    this.names = names;
    this.values = values;
  }

  /** The copies, in parameter order; throws once disposed. */
  get tensors(): readonly Tensor[] {
    if (this.values === null) throw new DropkitError('This ParameterSnapshot has been disposed.');
    return this.values;
  }

  /** Whether {@link ParameterSnapshot.dispose} has been called. */
  get isDisposed(): boolean {
    return this.values === null;
  }

  /** Frees the copies; calling it again does nothing. */
  dispose(): void {
    if (this.values !== null) dispose(this.values);
    this.values = null;
  }
}

/**
 * Copies the current parameter values of a target (call it before training to keep W_0). The
 * copies are kept out of any surrounding `tf.tidy`; dispose the snapshot when done.
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @returns the snapshot.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { snapshotParameters } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.ones([2]));
 * const init = snapshotParameters({ params: [w], loss: () => tf.sum(w) });
 * console.log(init.tensors.length); // 1
 * init.dispose();
 * ```
 */
export function snapshotParameters(target: DiagnosticsTarget): ParameterSnapshot {
  const objective = toObjective(target);
  return new ParameterSnapshot(
    objective.params.map((p) => p.name),
    copyValues(objective.params),
  );
}

/**
 * The distance `||W_t - W_0||_2` between the current parameters and a snapshot, over the whole
 * model, per layer and per parameter.
 *
 * @param target - the same target the snapshot was taken of.
 * @param initial - the snapshot of W_0; not disposed.
 * @returns plain numbers; the per-layer values sum in quadrature to the total.
 * @throws InvalidArgumentError when the snapshot does not match the parameters; DropkitError when
 *   it has been disposed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { distanceFromInit, snapshotParameters } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.zeros([2]), true, 'w0');
 * const objective = { params: [w], loss: () => tf.sum(w) };
 * const init = snapshotParameters(objective);
 * w.assign(tf.tensor1d([6, 8]));
 * console.log((await distanceFromInit(objective, init)).total); // 10
 * init.dispose();
 * ```
 */
export async function distanceFromInit(
  target: DiagnosticsTarget,
  initial: ParameterSnapshot,
): Promise<NormReport> {
  const objective = toObjective(target);
  const values = initial.tensors;
  if (values.length !== objective.params.length) {
    throw new InvalidArgumentError(
      'initial',
      `a snapshot of ${values.length} parameters`,
      `a snapshot of this target's ${objective.params.length} parameters`,
    );
  }
  objective.params.forEach((p, i) => {
    const v = values[i] as Tensor;
    if (!util.arraysEqual(v.shape, p.shape)) {
      throw new InvalidArgumentError(
        `initial.tensors[${i}].shape`,
        v.shape,
        `${p.name}'s shape [${p.shape}]`,
      );
    }
  });
  const squares = await readAndDispose(
    tidy(() => stack(objective.params.map((p, i) => sum(square(sub(p, values[i] as Tensor)))))),
  );
  return normReport(objective, squares);
}
