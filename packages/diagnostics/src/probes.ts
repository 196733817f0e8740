import { assertInteger } from '@dropkit/core';
import type { ReplayableData } from './batchSource.js';
import {
  type CondensationOptions,
  condensation,
  type DenseLayerLike,
  type DenseWeights,
} from './condensation.js';
import {
  distanceFromInit,
  type ParameterSnapshot,
  snapshotParameters,
} from './distanceFromInit.js';
import { type GradientDirectionOptions, gradientDirectionStats } from './gradientDirectionStats.js';
import { type GradientNoiseOptions, gradientNoiseStats } from './gradientNoiseStats.js';
import { type GradientNormOptions, gradientNorm } from './gradientNorm.js';
import { hessianTopEigenvalue, type IterativeCurvatureOptions } from './hessianTopEigenvalue.js';
import { hessianTrace } from './hessianTrace.js';
import type { Batch, Objective } from './objective.js';
import { type SharpnessOptions, sharpness } from './sharpness.js';

/**
 * One measurement a recorder runs: a name (its key in each record), an optional own period, and
 * `measure`, which returns plain JSON-serializable data. `start` runs when the recorder is
 * created (before training), `dispose` when it is disposed.
 */
export interface Probe {
  /** The key of this probe's values in each record; unique within a recorder. */
  readonly name: string;
  /** Measure every this many steps (overrides the recorder's `every`). */
  readonly every?: number;
  /** Called once by the recorder when it is created. */
  start?(objective: Objective): void;
  /** Measures at the current weights. */
  measure(objective: Objective, step: number): unknown | Promise<unknown>;
  /** Frees what the probe holds. */
  dispose?(): void;
}

/** What every probe factory accepts besides its measurement's options. */
export interface ProbeSchedule {
  /** The key in each record. Default: the measurement's name. */
  readonly name?: string;
  /** Measure every this many steps, an integer >= 1. Default: the recorder's `every`. */
  readonly every?: number;
}

function schedule(defaultName: string, s: ProbeSchedule): { name: string; every?: number } {
  const out: { name: string; every?: number } = { name: s.name ?? defaultName };
  if (s.every !== undefined) out.every = assertInteger('every', s.every, { min: 1 });
  return out;
}

/**
 * A probe of {@link gradientNorm} on a fixed batch (the caller's; not disposed).
 *
 * @param options - the batch, the gradient-norm options and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientNormProbe } from '@dropkit/diagnostics';
 * const probe = gradientNormProbe({ data: { xs: tf.ones([4, 2]), ys: tf.zeros([4]) }, every: 10 });
 * console.log(probe.name, probe.every); // gradientNorm 10
 * ```
 */
export function gradientNormProbe(
  options: { readonly data: Batch } & GradientNormOptions & ProbeSchedule,
): Probe {
  return {
    ...schedule('gradientNorm', options),
    measure: (objective) => gradientNorm(objective, options.data, options),
  };
}

/**
 * A probe of {@link distanceFromInit}: it snapshots the parameters when the recorder is created
 * (W_0) and frees the snapshot when the recorder is disposed.
 *
 * @param options - the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import { distanceFromInitProbe } from '@dropkit/diagnostics';
 * console.log(distanceFromInitProbe().name); // distanceFromInit
 * ```
 */
export function distanceFromInitProbe(options: ProbeSchedule = {}): Probe {
  let initial: ParameterSnapshot | null = null;
  return {
    ...schedule('distanceFromInit', options),
    start(objective) {
      initial?.dispose();
      initial = snapshotParameters(objective);
    },
    measure(objective) {
      if (initial === null) initial = snapshotParameters(objective);
      return distanceFromInit(objective, initial);
    },
    dispose() {
      initial?.dispose();
      initial = null;
    },
  };
}

/**
 * A probe of {@link gradientDirectionStats} (GDV and GDE).
 *
 * @param options - the measurement's options (sources, K, subset size) and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientDirectionProbe } from '@dropkit/diagnostics';
 * const batches = [{ xs: tf.ones([2, 2]), ys: tf.zeros([2]) }];
 * console.log(gradientDirectionProbe({ batches, fullData: batches, k: 4 }).name); // gradientDirection
 * ```
 */
export function gradientDirectionProbe(options: GradientDirectionOptions & ProbeSchedule): Probe {
  return {
    ...schedule('gradientDirection', options),
    measure: (objective) => gradientDirectionStats(objective, options),
  };
}

/**
 * A probe of {@link gradientNoiseStats} (GSNR and the gradient tests) on a fixed batch.
 *
 * @param options - the batch, the measurement's options and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gradientNoiseProbe } from '@dropkit/diagnostics';
 * console.log(gradientNoiseProbe({ data: { xs: tf.ones([4, 2]), ys: tf.zeros([4]) } }).name); // gradientNoise
 * ```
 */
export function gradientNoiseProbe(
  options: { readonly data: Batch } & GradientNoiseOptions & ProbeSchedule,
): Probe {
  return {
    ...schedule('gradientNoise', options),
    measure: (objective) => gradientNoiseStats(objective, options.data, options),
  };
}

/**
 * A probe of {@link hessianTopEigenvalue}.
 *
 * @param options - the data, the measurement's options and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { hessianTopEigenvalueProbe } from '@dropkit/diagnostics';
 * const probe = hessianTopEigenvalueProbe({ data: { xs: tf.ones([4, 2]), ys: tf.zeros([4]) }, every: 100 });
 * console.log(probe.name); // hessianTopEigenvalue
 * ```
 */
export function hessianTopEigenvalueProbe(
  options: { readonly data: ReplayableData } & IterativeCurvatureOptions & ProbeSchedule,
): Probe {
  return {
    ...schedule('hessianTopEigenvalue', options),
    measure: (objective) => hessianTopEigenvalue(objective, options.data, options),
  };
}

/**
 * A probe of {@link hessianTrace}.
 *
 * @param options - the data, the measurement's options and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { hessianTraceProbe } from '@dropkit/diagnostics';
 * console.log(hessianTraceProbe({ data: { xs: tf.ones([4, 2]), ys: tf.zeros([4]) } }).name); // hessianTrace
 * ```
 */
export function hessianTraceProbe(
  options: { readonly data: ReplayableData } & IterativeCurvatureOptions & ProbeSchedule,
): Probe {
  return {
    ...schedule('hessianTrace', options),
    measure: (objective) => hessianTrace(objective, options.data, options),
  };
}

/**
 * A probe of {@link sharpness}.
 *
 * @param options - the data, the measurement's options and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sharpnessProbe } from '@dropkit/diagnostics';
 * console.log(sharpnessProbe({ data: { xs: tf.ones([4, 2]), ys: tf.zeros([4]) } }).name); // sharpness
 * ```
 */
export function sharpnessProbe(
  options: { readonly data: ReplayableData } & SharpnessOptions & ProbeSchedule,
): Probe {
  return {
    ...schedule('sharpness', options),
    measure: (objective) => sharpness(objective, options.data, options),
  };
}

/**
 * A probe of {@link condensation} for one dense layer. The matrix (n x n numbers) is left out of
 * the record unless `includeMatrix` is set; the cluster sizes are always kept.
 *
 * @param options - the layer (or a function returning its current weights), the threshold, whether
 *   to record the matrix, and the schedule.
 * @returns the probe.
 * @example
 * ```ts
 * import { condensationProbe } from '@dropkit/diagnostics';
 * const probe = condensationProbe({ layer: { kernel: [[1, 2], [1, 2]] }, threshold: 0.9 });
 * console.log(probe.name); // condensation
 * ```
 */
export function condensationProbe(
  options: {
    readonly layer: DenseLayerLike | DenseWeights | (() => DenseLayerLike | DenseWeights);
    readonly includeMatrix?: boolean;
  } & CondensationOptions &
    ProbeSchedule,
): Probe {
  return {
    ...schedule('condensation', options),
    async measure() {
      const layer = typeof options.layer === 'function' ? options.layer() : options.layer;
      const r = await condensation(layer, options);
      return {
        units: r.units,
        clusterCount: r.clusterCount,
        largestClusterFraction: r.largestClusterFraction,
        clusterSizes: r.clusters.map((c) => c.length),
        ...(options.includeMatrix ? { matrix: r.matrix, order: r.order } : {}),
      };
    },
  };
}
