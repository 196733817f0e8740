import { InvalidArgumentError } from '@dropkit/core';
import {
  add,
  mean,
  type Scalar,
  scalar,
  type Tensor,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';

/** One mini-batch: inputs and targets, the first axis of every tensor being the example axis. */
export interface Batch {
  /** The model's input(s). */
  readonly xs: Tensor | readonly Tensor[];
  /** The target(s), one per model output. */
  readonly ys: Tensor | readonly Tensor[];
}

/**
 * What every measurement works on: the parameters and a loss function of a batch and a training
 * flag. `training = true` means dropout (and every other train-time behaviour) is on at its
 * current rate; `false` is inference mode.
 */
export interface Objective {
  /** The trainable parameters the measurements differentiate and perturb. */
  readonly params: readonly Variable[];
  /**
   * The mean loss over the batch's examples, a scalar. Measurements call it inside `tf.tidy`
   * and under gradient tapes; it must read the parameters (not copies of them). A method, so a
   * loss typed for a narrower batch (one input tensor) is accepted.
   */
  loss(batch: Batch, training: boolean): Scalar;
  /**
   * The group (layer) of each parameter, for per-layer reports; default: each parameter is its
   * own group, named after the variable.
   */
  readonly groups?: readonly string[];
  /**
   * Variables a forward pass may change (BatchNorm moving statistics): every measurement saves
   * them first and restores them exactly afterwards.
   */
  readonly state?: readonly Variable[];
}

/** The part of a tfjs-layers `LayerVariable` this package uses. */
export interface LayerVariableLike {
  read(): Tensor;
}

/** The part of a tfjs-layers `Layer` this package uses. */
export interface LayerLike {
  readonly name: string;
  readonly trainableWeights: readonly LayerVariableLike[];
}

/**
 * The part of a tfjs-layers `LayersModel` (or `Sequential`) this package uses. Structural, so
 * that `@tensorflow/tfjs-layers` stays an optional peer: nothing of it is imported.
 */
export interface LayersModelLike {
  readonly layers: readonly LayerLike[];
  readonly trainableWeights: readonly LayerVariableLike[];
  readonly nonTrainableWeights?: readonly LayerVariableLike[];
  apply(inputs: Tensor | Tensor[], kwargs?: { training?: boolean }): unknown;
  calculateLosses?(): Scalar[];
}

/** A per-example loss of one output, `(yTrue, yPred) => losses`; the mean is taken over it. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** What every measurement accepts: an {@link Objective}, or a tfjs-layers model. */
export type DiagnosticsTarget = Objective | LayersModelLike;

/** Options of {@link objectiveFromModel}. */
export interface ObjectiveFromModelOptions {
  /**
   * The loss, one function or one per output. Default: the loss functions the model was compiled
   * with (`model.compile({loss})`).
   */
  readonly loss?: LossFunction | readonly LossFunction[];
  /** Add the layers' regularization penalties, as `model.fit` does. Default true. */
  readonly includeRegularization?: boolean;
}

interface CompiledModel {
  readonly lossFunctions?: readonly LossFunction[];
  readonly model?: { readonly lossFunctions?: readonly LossFunction[] };
}

function compiledLosses(model: LayersModelLike): readonly LossFunction[] | undefined {
  const m = model as unknown as CompiledModel;
  // A Sequential keeps its compiled LayersModel in `model`; that is where the losses live.
  const fns = m.lossFunctions ?? m.model?.lossFunctions;
  return fns !== undefined && fns.length > 0 ? fns : undefined;
}

function asVariable(t: Tensor, where: string): Variable {
  const v = t as Variable;
  if (typeof v.assign !== 'function' || typeof v.name !== 'string') {
    throw new InvalidArgumentError(where, t, 'a tf.Variable');
  }
  return v;
}

const toList = (t: Tensor | readonly Tensor[]): Tensor[] =>
  Array.isArray(t) ? [...t] : [t as Tensor];

/**
 * Builds the {@link Objective} of a tfjs-layers model: its trainable weights as parameters
 * (grouped by layer), its non-trainable weights as state to restore, and as loss the sum over
 * outputs of the mean per-example loss, plus the regularization penalties, evaluated with
 * `model.apply(xs, {training})`, which is what `model.fit` minimizes.
 *
 * @param model - a tfjs-layers `LayersModel` or `Sequential` (compiled, or give `options.loss`).
 * @param options - {@link ObjectiveFromModelOptions}.
 * @returns the objective; it reads the model's live weights and looks up the compiled loss when
 *   the loss is called, so the model may be compiled later.
 * @throws InvalidArgumentError for a malformed `options.loss`; its loss throws one when the model
 *   has no loss (not compiled, no `options.loss`) or the losses do not match the outputs.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { objectiveFromModel } from '@dropkit/diagnostics';
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2], name: 'out' })] });
 * model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
 * const objective = objectiveFromModel(model);
 * const loss = objective.loss({ xs: tf.ones([4, 2]), ys: tf.zeros([4, 1]) }, false);
 * console.log(objective.params.length, objective.groups, loss.rank); // 2 [ 'out', 'out' ] 0
 * ```
 */
export function objectiveFromModel(
  model: LayersModelLike,
  options: ObjectiveFromModelOptions = {},
): Objective {
  const given = options.loss;
  let explicit: readonly LossFunction[] | undefined;
  if (typeof given === 'function') explicit = [given];
  else if (Array.isArray(given)) explicit = given;
  else if (given !== undefined) explicit = [];
  if (
    explicit !== undefined &&
    (explicit.length === 0 || explicit.some((f) => typeof f !== 'function'))
  ) {
    throw new InvalidArgumentError('options.loss', given, 'a loss function, or one per output');
  }
  // Looked up at call time: the model may be compiled after the objective is made (a recorder
  // created before model.compile), and parameter-only measures need no loss at all.
  const lossFunctions = (): readonly LossFunction[] => {
    const fns = explicit ?? compiledLosses(model);
    if (fns === undefined) {
      throw new InvalidArgumentError(
        'options.loss',
        undefined,
        'a loss function (or one per output), or a model compiled with a loss',
      );
    }
    return fns;
  };
  const includeRegularization = options.includeRegularization ?? true;
  const params = model.trainableWeights.map((w, i) =>
    asVariable(w.read(), `trainableWeights[${i}]`),
  );
  const layerOf = new Map<Variable, string>();
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) layerOf.set(w.read() as Variable, layer.name);
  }
  const groups = params.map((p) => layerOf.get(p) ?? p.name);
  const state = (model.nonTrainableWeights ?? []).map((w, i) =>
    asVariable(w.read(), `nonTrainableWeights[${i}]`),
  );
  const loss = (batch: Batch, training: boolean): Scalar =>
    tidy(() => {
      const lossFns = lossFunctions();
      const xs = toList(batch.xs);
      const out = model.apply(xs.length === 1 ? (xs[0] as Tensor) : xs, { training });
      const outputs = Array.isArray(out) ? (out as Tensor[]) : [out as Tensor];
      const ys = toList(batch.ys);
      if (ys.length !== outputs.length) {
        throw new InvalidArgumentError(
          'batch.ys',
          `${ys.length} tensor(s)`,
          `${outputs.length}, one per output`,
        );
      }
      if (lossFns.length !== 1 && lossFns.length !== outputs.length) {
        throw new InvalidArgumentError(
          'options.loss',
          `${lossFns.length} functions`,
          `1 or ${outputs.length}, one per output`,
        );
      }
      let total: Tensor = scalar(0);
      outputs.forEach((y, i) => {
        const fn = (lossFns.length === 1 ? lossFns[0] : lossFns[i]) as LossFunction;
        total = add(total, mean(fn(ys[i] as Tensor, y)));
      });
      if (includeRegularization && typeof model.calculateLosses === 'function') {
        for (const r of model.calculateLosses()) total = add(total, r);
      }
      return total as Scalar;
    });
  return { params, loss, groups, state };
}

function isObjective(target: DiagnosticsTarget): target is Objective {
  const t = target as Partial<Objective>;
  return Array.isArray(t.params) && typeof t.loss === 'function';
}

function isModel(target: DiagnosticsTarget): target is LayersModelLike {
  const t = target as Partial<LayersModelLike>;
  return (
    Array.isArray(t.layers) && Array.isArray(t.trainableWeights) && typeof t.apply === 'function'
  );
}

/**
 * Resolves a measurement's target to a validated {@link Objective}: an objective is checked
 * (non-empty, trainable variables, consistent groups), a model goes through
 * {@link objectiveFromModel}.
 *
 * @param target - an objective or a compiled tfjs-layers model.
 * @returns the objective.
 * @throws InvalidArgumentError when the target is neither, or the objective is malformed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { toObjective } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.ones([3]));
 * const objective = toObjective({ params: [w], loss: () => tf.sum(tf.square(w)) });
 * console.log(objective.params.length); // 1
 * ```
 */
export function toObjective(target: DiagnosticsTarget): Objective {
  if (target !== null && typeof target === 'object' && isObjective(target)) {
    if (target.params.length === 0) {
      throw new InvalidArgumentError('params', target.params, 'at least one tf.Variable');
    }
    target.params.forEach((p, i) => {
      const v = asVariable(p, `params[${i}]`);
      if (!v.trainable)
        throw new InvalidArgumentError(`params[${i}]`, v.name, 'a trainable tf.Variable');
      if (v.dtype !== 'float32') {
        throw new InvalidArgumentError(`params[${i}].dtype`, v.dtype, '"float32"');
      }
    });
    if (target.groups !== undefined && target.groups.length !== target.params.length) {
      throw new InvalidArgumentError(
        'groups',
        `${target.groups.length} names`,
        `one per parameter (${target.params.length})`,
      );
    }
    return target;
  }
  if (target !== null && typeof target === 'object' && isModel(target)) {
    return objectiveFromModel(target);
  }
  throw new InvalidArgumentError(
    'target',
    target,
    'an Objective ({params, loss}) or a compiled tfjs-layers model',
  );
}

/** The group name of each parameter of an objective (its variable name where none is given). */
export function groupNames(objective: Objective): string[] {
  return objective.params.map((p, i) => objective.groups?.[i] ?? p.name);
}
