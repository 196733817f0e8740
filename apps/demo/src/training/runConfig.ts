import {
  assertFinite,
  assertInteger,
  assertOneOf,
  assertRate,
  InvalidArgumentError,
} from '@dropkit/core';
import {
  earlySchedule,
  lateSchedule,
  type Schedule,
  standardSchedule,
  steps as stepsOf,
} from '@dropkit/schedules';

/** The datasets the demo trains on. */
export const DATASET_NAMES = ['mnist', 'spirals', 'blobs'] as const;
/** A dataset of the demo: the embedded MNIST subset, two spirals or Gaussian blobs. */
export type DatasetName = (typeof DATASET_NAMES)[number];

/** The models the demo trains. */
export const MODEL_NAMES = ['mlp', 'vit', 'cnn'] as const;
/** A model of the demo: an MLP, a small ViT or the small CNN of `@dropkit/models`. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** The models that need images (MNIST): the synthetic sets are points in the plane. */
export const IMAGE_MODELS: readonly ModelName[] = ['vit', 'cnn'];

/** The dropout schedules the demo offers. */
export const SCHEDULE_NAMES = ['none', 'standard', 'early', 'late'] as const;
/** No dropout, standard (constant), early (linear decay to 0 at the cutoff) or late dropout. */
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** The backends a run can ask `useBackend` for. */
export const DEMO_BACKENDS = ['auto', 'webgpu', 'wasm', 'cpu'] as const;
/** A backend request of the demo. */
export type DemoBackend = (typeof DEMO_BACKENDS)[number];

/** The most steps a run may take: more would make the live SVG charts sluggish. */
export const MAX_STEPS = 5000;

/** Everything a training run needs; the form of the page and the worker share it. */
export interface RunConfig {
  readonly dataset: DatasetName;
  readonly model: ModelName;
  readonly schedule: ScheduleName;
  /** The peak dropout rate p, in [0, 1); unused by `none`. */
  readonly rate: number;
  /** Optimizer steps before dropout turns off (early) or on (late); unused by none / standard. */
  readonly cutoff: number;
  /** Optimizer steps of the run, in [1, {@link MAX_STEPS}]. */
  readonly steps: number;
  /** Seeds the weights, the dropout masks and the batch order; data sets are fixed. */
  readonly seed: number;
  readonly backend: DemoBackend;
  /** Examples per optimizer step. */
  readonly batchSize: number;
  /** Adam's learning rate. */
  readonly learningRate: number;
  /** Steps between evaluations (test and train loss in inference mode). */
  readonly evalEvery: number;
  /** Steps between GDV / GDE measurements; 0 turns them off. */
  readonly diagnosticsEvery: number;
}

/** The defaults of the page's form. */
export const DEFAULT_RUN_CONFIG: RunConfig = {
  dataset: 'mnist',
  model: 'mlp',
  schedule: 'early',
  rate: 0.1,
  cutoff: 100,
  steps: 300,
  seed: 0,
  backend: 'auto',
  batchSize: 64,
  learningRate: 0.005,
  evalEvery: 25,
  diagnosticsEvery: 50,
};

/** What {@link checkRunConfig} found: the config when every field is valid, else every error. */
export type RunConfigCheck =
  | { readonly ok: true; readonly config: RunConfig }
  | { readonly ok: false; readonly errors: readonly InvalidArgumentError[] };

/**
 * Checks every field of a run configuration (for example the values read from the form) and
 * collects one error per bad field, so that each can be shown next to its input. Error parameter
 * names are the {@link RunConfig} keys.
 *
 * @param value - the fields, as numbers and strings.
 * @returns the checked config, or the errors.
 * @example
 * ```ts
 * import { checkRunConfig, DEFAULT_RUN_CONFIG } from '@dropkit/demo/training';
 * const bad = checkRunConfig({ ...DEFAULT_RUN_CONFIG, rate: 1.5, steps: 0 });
 * console.log(bad.ok ? [] : bad.errors.map((e) => e.parameter)); // [ 'rate', 'steps' ]
 * ```
 */
export function checkRunConfig(value: Readonly<Record<keyof RunConfig, unknown>>): RunConfigCheck {
  const errors: InvalidArgumentError[] = [];
  const field = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (e) {
      if (e instanceof InvalidArgumentError) {
        errors.push(e);
        return undefined;
      }
      throw e;
    }
  };
  const dataset = field(() => assertOneOf('dataset', value.dataset, DATASET_NAMES));
  const model = field(() => {
    const m = assertOneOf('model', value.model, MODEL_NAMES);
    if (dataset !== undefined && dataset !== 'mnist' && IMAGE_MODELS.includes(m)) {
      throw new InvalidArgumentError(
        'model',
        m,
        `"mlp" for the ${dataset} set (the ViT and the CNN need images: pick MNIST)`,
      );
    }
    return m;
  });
  const schedule = field(() => assertOneOf('schedule', value.schedule, SCHEDULE_NAMES));
  const steps = field(() => assertInteger('steps', value.steps, { min: 1, max: MAX_STEPS }));
  // A field a schedule ignores is not checked, so a stale value there cannot block a run.
  const rate = schedule === 'none' ? 0 : field(() => assertRate('rate', value.rate));
  const cutoff =
    schedule === 'early' || schedule === 'late'
      ? field(() =>
          steps === undefined
            ? assertInteger('cutoff', value.cutoff, { min: 0 })
            : assertInteger('cutoff', value.cutoff, { min: 0, max: steps }),
        )
      : 0;
  const seed = field(() => assertInteger('seed', value.seed, { min: 0 }));
  const backend = field(() => assertOneOf('backend', value.backend, DEMO_BACKENDS));
  const batchSize = field(() => assertInteger('batchSize', value.batchSize, { min: 1, max: 1024 }));
  const learningRate = field(() => {
    const lr = assertFinite('learningRate', value.learningRate);
    if (lr <= 0 || lr > 1) throw new InvalidArgumentError('learningRate', lr, 'a number in (0, 1]');
    return lr;
  });
  const evalEvery = field(() => assertInteger('evalEvery', value.evalEvery, { min: 1 }));
  const diagnosticsEvery = field(() =>
    assertInteger('diagnosticsEvery', value.diagnosticsEvery, { min: 0 }),
  );
  if (errors.length > 0) {
    // In the order of the form's fields, whatever order they were checked in.
    const order = Object.keys(DEFAULT_RUN_CONFIG);
    errors.sort((a, b) => order.indexOf(a.parameter) - order.indexOf(b.parameter));
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: {
      dataset: dataset as DatasetName,
      model: model as ModelName,
      schedule: schedule as ScheduleName,
      rate: rate as number,
      cutoff: cutoff as number,
      steps: steps as number,
      seed: seed as number,
      backend: backend as DemoBackend,
      batchSize: batchSize as number,
      learningRate: learningRate as number,
      evalEvery: evalEvery as number,
      diagnosticsEvery: diagnosticsEvery as number,
    },
  };
}

/**
 * Checks a run configuration and returns it, or throws the first problem.
 *
 * @param value - the fields.
 * @returns the checked config.
 * @throws InvalidArgumentError naming the first bad field, its value and what is allowed.
 * @example
 * ```ts
 * import { DEFAULT_RUN_CONFIG, validateRunConfig } from '@dropkit/demo/training';
 * try {
 *   validateRunConfig({ ...DEFAULT_RUN_CONFIG, cutoff: -1 });
 * } catch (e) {
 *   console.log((e as Error).message); // Invalid cutoff: received -1; expected an integer in [0, 300].
 * }
 * ```
 */
export function validateRunConfig(value: Readonly<Record<keyof RunConfig, unknown>>): RunConfig {
  const result = checkRunConfig(value);
  if (!result.ok) throw result.errors[0] as InvalidArgumentError;
  return result.config;
}

/**
 * The dropout schedule of a run, in optimizer steps: `none` is null (no dropout), `standard` a
 * constant rate, `early` the official code's linear early dropout (linspace(p, 0, cutoff), then 0:
 * the paper's ViT recipe), `late` 0 until the cutoff, then p.
 *
 * @param config - a checked run configuration.
 * @returns the schedule of `@dropkit/schedules`, or null for no dropout.
 * @example
 * ```ts
 * import { toArray } from '@dropkit/schedules';
 * import { DEFAULT_RUN_CONFIG, scheduleOf } from '@dropkit/demo/training';
 * const s = scheduleOf({ ...DEFAULT_RUN_CONFIG, schedule: 'late', rate: 0.2, cutoff: 2, steps: 4 });
 * console.log(toArray(s!, 4)); // [ 0, 0, 0.2, 0.2 ]
 * ```
 */
export function scheduleOf(config: RunConfig): Schedule | null {
  switch (config.schedule) {
    case 'none':
      return null;
    case 'standard':
      return standardSchedule(config.rate);
    case 'early':
      return earlySchedule(config.rate, { cutoff: stepsOf(config.cutoff), shape: 'linear' });
    case 'late':
      return lateSchedule(config.rate, { cutoff: stepsOf(config.cutoff) });
  }
}

/**
 * A short label of a run's configuration, for run cards, legends and file names.
 *
 * @param config - a run configuration.
 * @returns e.g. `mnist mlp early 0.1 to step 100`.
 * @example
 * ```ts
 * import { DEFAULT_RUN_CONFIG, describeRunConfig } from '@dropkit/demo/training';
 * console.log(describeRunConfig(DEFAULT_RUN_CONFIG)); // mnist mlp early 0.1 to step 100
 * ```
 */
export function describeRunConfig(config: RunConfig): string {
  const head = `${config.dataset} ${config.model}`;
  switch (config.schedule) {
    case 'none':
      return `${head} no dropout`;
    case 'standard':
      return `${head} standard ${config.rate}`;
    case 'early':
      return `${head} early ${config.rate} to step ${config.cutoff}`;
    case 'late':
      return `${head} late ${config.rate} from step ${config.cutoff}`;
  }
}
