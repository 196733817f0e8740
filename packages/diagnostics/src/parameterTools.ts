import { DropkitError } from '@dropkit/core';
import {
  add,
  addN,
  clone,
  dispose,
  keep,
  mul,
  type Scalar,
  sum,
  type Tensor,
  tidy,
  type Variable,
  variableGrads,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { batchSizeOf, type ReplayableData, replay } from './batchSource.js';
import { noteMemory } from './memoryWatermark.js';
import type { Batch, Objective } from './objective.js';

/** A loss value and gradients in parameter order; the caller disposes them. */
export interface LossAndGradients {
  readonly value: Scalar;
  readonly grads: Tensor[];
}

/**
 * The gradients of the objective's loss on one batch, in parameter order, zeros for a parameter
 * the loss does not reach (tfjs leaves those out).
 */
export function lossGradients(
  objective: Objective,
  batch: Batch,
  training: boolean,
): LossAndGradients {
  return tidy(() => {
    const { value, grads } = variableGrads(() => {
      const l = objective.loss(batch, training);
      noteMemory();
      return l;
    }, objective.params as Variable[]);
    noteMemory();
    return { value, grads: objective.params.map((p) => grads[p.name] ?? zerosLike(p)) };
  });
}

/**
 * Loss and gradient over every batch of a pass, each batch weighted by its size (the mean over
 * all examples when the objective's loss is a per-batch mean). Holds one batch's gradient at a
 * time next to the running sums.
 */
export async function dataLossGradients(
  objective: Objective,
  data: ReplayableData,
  training: boolean,
  name: string,
): Promise<LossAndGradients> {
  let acc: LossAndGradients | null = null;
  let count = 0;
  try {
    for await (const batch of replay(data, name)) {
      const n = batchSizeOf(batch);
      const step = lossGradients(objective, batch, training);
      const prev: LossAndGradients | null = acc;
      const value: Scalar = tidy(() => add(prev?.value ?? 0, mul(step.value, n)) as Scalar);
      const grads: Tensor[] = tidy(() =>
        step.grads.map((g, i): Tensor => add(prev?.grads[i] ?? 0, mul(g, n))),
      );
      acc = { value, grads };
      dispose([step.value, ...step.grads]);
      if (prev) dispose([prev.value, ...prev.grads]);
      count += n;
    }
  } catch (err) {
    if (acc) dispose([acc.value, ...acc.grads]);
    throw err;
  }
  const total = acc as LossAndGradients;
  const value = tidy(() => mul(total.value, 1 / count) as Scalar);
  const grads = tidy(() => total.grads.map((g) => mul(g, 1 / count)));
  dispose([total.value, ...total.grads]);
  return { value, grads };
}

/** The loss over every batch of a pass, weighted by batch size (no gradient). */
export async function dataLoss(
  objective: Objective,
  data: ReplayableData,
  training: boolean,
  name: string,
): Promise<number> {
  let sum = 0;
  let count = 0;
  for await (const batch of replay(data, name)) {
    const n = batchSizeOf(batch);
    const l = tidy(() => {
      const v = objective.loss(batch, training);
      noteMemory();
      return v;
    });
    const [value] = await l.data();
    l.dispose();
    sum += (value as number) * n;
    count += n;
  }
  return sum / count;
}

/** Copies of the current values of some variables, kept out of any surrounding tidy. */
export function copyValues(vars: readonly Variable[]): Tensor[] {
  return vars.map((v) => keep(clone(v)));
}

/** Writes saved values back into the variables (bit for bit) and disposes the copies. */
export function restoreValues(vars: readonly Variable[], saved: readonly Tensor[]): void {
  vars.forEach((v, i) => {
    v.assign(saved[i] as Tensor);
  });
  dispose(saved as Tensor[]);
}

/**
 * Runs a measurement with the objective's state variables (BatchNorm statistics) saved before
 * and restored afterwards, errors included.
 */
export async function preservingState<T>(objective: Objective, run: () => Promise<T>): Promise<T> {
  const state = objective.state ?? [];
  if (state.length === 0) return run();
  const saved = copyValues(state);
  try {
    return await run();
  } finally {
    restoreValues(state, saved);
  }
}

/** The sum over parameters of <a_i, b_i>, a scalar tensor. */
export function dotAll(a: readonly Tensor[], b: readonly Tensor[]): Scalar {
  return tidy(() => addN(a.map((t, i) => sum(mul(t, b[i] as Tensor)))) as Scalar);
}

/** Reads a small float tensor into a float64 array and disposes it. */
export async function readAndDispose(t: Tensor): Promise<Float64Array> {
  const data = await t.data();
  t.dispose();
  return Float64Array.from(data as Float32Array);
}

/** Throws when a measured number is not finite (a NaN loss, an overflow). */
export function assertFiniteResult(what: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new DropkitError(
      `${what} is ${value}: the loss or its gradient is not finite at these weights.`,
    );
  }
  return value;
}
