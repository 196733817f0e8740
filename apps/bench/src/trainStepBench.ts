import { DropkitError } from '@dropkit/core';
import { type Dataset, fitNormalization, loadMnist } from '@dropkit/datasets';
import { applyRates, DropoutScheduler, findDropoutSites } from '@dropkit/layers';
import { parseSchedule, stepsPerEpoch } from '@dropkit/schedules';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BenchBackend } from './benchBackends.js';
import { type BenchModel, trainableParameters } from './benchModels.js';
import { TensorLeakError } from './opsBench.js';
import { median } from './timing.js';
import { createTrainingStep, type TrainingBatch, type TrainingStep } from './trainingStep.js';

/** The two training steps timed side by side. */
export const TRAIN_STEP_VARIANTS = ['scheduledDropout', 'noDropout'] as const;
/** One of {@link TRAIN_STEP_VARIANTS}. */
export type TrainStepVariant = (typeof TRAIN_STEP_VARIANTS)[number];

/** MNIST's training split, the examples a full read covers. */
export const MNIST_TRAIN_SIZE = 60_000;

/**
 * The schedule the dropout variant takes its rates from, for every dropout site and for drop
 * path: early dropout at 0.1 (linear decay to 0 over 5 epochs), read at {@link SCHEDULE_STEP},
 * where it is 0.1. The epoch length is MNIST's at the benchmark's batch size.
 */
export const SCHEDULE = 'early:0.1:linear:cutoff=5ep';
/** The global step the schedule is read at (the first step: the rate is at its peak). */
export const SCHEDULE_STEP = 0;

/** What {@link runTrainStepBench} measures. */
export interface TrainStepConfig {
  readonly model: BenchModel;
  readonly batchSize: number;
  readonly runs: number;
  readonly warmup: number;
  /** Read only the first `readLimit` MNIST training examples (quick mode); undefined: all 60,000. */
  readonly readLimit: number | undefined;
  /** Seed of the dropout sites and of the shuffle. */
  readonly seed: number;
}

/** A timed figure: every sample and their median, in ms. */
export interface TimedSamples {
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
}

/** One training step variant. */
export interface TrainStepTiming extends TimedSamples {
  /** batchSize / median step time. */
  readonly examplesPerSecond: number;
  /** The loss of the last timed step (finite, or the run stops). */
  readonly lastLoss: number;
}

/** Reading MNIST from the IDX files and making one epoch of batches. */
export interface ReadTiming extends TimedSamples {
  /** Examples read and batched per run. */
  readonly examples: number;
  /** Batches made per run. */
  readonly batches: number;
  /** Median ms of `loadMnist` + normalization (the IDX read and parse). */
  readonly loadMedianMs: number;
  /** Median ms of making every batch's tensors (`Dataset.batches`, shuffled, one-hot). */
  readonly batchesMedianMs: number;
  /** examples / median total time. */
  readonly examplesPerSecond: number;
}

/** The rates the dropout variant runs at. */
export interface AppliedScheduleRates {
  readonly schedule: string;
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** The rate of every dropout site. */
  readonly dropout: number;
  /** The deepest drop-path site's rate; the others follow linspace(0, rate, depth). */
  readonly dropPath: number;
  readonly dropPathRates: readonly number[];
  /** How many sites of each kind the model has. */
  readonly sites: { readonly dropout: number; readonly dropPath: number };
}

/** Everything {@link runTrainStepBench} measured. */
export interface TrainStepMeasurement {
  readonly model: {
    readonly name: string;
    readonly description: string;
    readonly targetModel: boolean;
    readonly trainableParameters: number;
    /** Layers frozen because the backend cannot differentiate them (see `frozenReason`). */
    readonly frozen: readonly string[];
    readonly frozenReason: string | null;
  };
  readonly batchSize: number;
  readonly optimizer: string;
  readonly rates: AppliedScheduleRates;
  readonly steps: Readonly<Record<TrainStepVariant, TrainStepTiming>>;
  readonly read: ReadTiming;
  readonly ratios: {
    /** Median step time with scheduled dropout / with every rate 0. */
    readonly scheduledOverNoDropout: number;
    /** Examples per second read / examples per second the scheduled-dropout step trains. */
    readonly readOverTrain: number;
  };
}

/** A tensor leak across one timed round of the training benchmarks. */
export class TrainingLeakError extends TensorLeakError {
  /**
   * @param what - what leaked, e.g. `train-step round 3`.
   * @param before - `tf.memory().numTensors` before.
   * @param after - and after.
   */
  constructor(what: string, before: number, after: number) {
    super(what, 0, before, after);
    this.message = `${what} leaked ${after - before} tensor(s): tf.memory().numTensors went from ${before} to ${after}.`;
    this.name = 'TrainingLeakError';
  }
}

/**
 * Throws a DropkitError when tfjs-core's own gradients are not registered: a training step needs
 * them, and plain Node cannot load them from tfjs-core's dist (the bundled CLI and the tests do).
 */
export function assertGradientsRegistered(): void {
  for (const kernel of ['BatchMatMul', 'Softmax', 'FusedBatchNorm']) {
    if (tf.getGradient(kernel) === undefined) {
      throw new DropkitError(
        `tfjs-core's gradient of ${kernel} is not registered, so no model can be trained in this process; run the bundled CLI (dist/dropkit-bench.mjs), which imports @tensorflow/tfjs-core/dist/register_all_gradients.`,
      );
    }
  }
}

/**
 * The layers to freeze on this backend: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, so
 * the ViT's patch embedding (a strided convolution) cannot be trained there. Freezing it only
 * removes its weight update; nothing upstream of it needs a gradient.
 */
export function layersToFreeze(model: LayersModel): { names: string[]; reason: string | null } {
  const hasConv = model.layers.some((l) => l.getClassName() === 'Conv2D');
  if (!hasConv || tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined) {
    return { names: [], reason: null };
  }
  return {
    names: model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.name),
    reason: `the ${tf.getBackend()} backend has no Conv2DBackpropFilter kernel (tfjs 4.22), so the convolution's weights are frozen (not updated); every other weight is trained`,
  };
}

/**
 * Sets a model's rates to {@link SCHEDULE} at {@link SCHEDULE_STEP}, through `DropoutScheduler`
 * and `applyRates`, as a training loop does before a step.
 *
 * @param model - the model.
 * @param batchSize - sets the epoch length the schedule's cutoff is measured in.
 */
export function applyScheduledRates(model: LayersModel, batchSize: number): AppliedScheduleRates {
  const schedule = parseSchedule(SCHEDULE);
  const perEpoch = stepsPerEpoch({ trainSize: MNIST_TRAIN_SIZE, batchSize });
  const scheduler = new DropoutScheduler({
    dropout: schedule,
    dropPath: schedule,
    stepsPerEpoch: perEpoch,
  });
  const applied = scheduler.applyAt(model, SCHEDULE_STEP);
  const dropout = applied.dropout ?? 0;
  const dropPath = applied.dropPath ?? 0;
  if (!(dropout > 0 && dropPath > 0)) {
    throw new DropkitError(
      `the schedule ${SCHEDULE} gives rates ${dropout} / ${dropPath} at step ${SCHEDULE_STEP}; the benchmark needs them above 0`,
    );
  }
  const sites = findDropoutSites(model);
  return {
    schedule: SCHEDULE,
    step: SCHEDULE_STEP,
    stepsPerEpoch: perEpoch,
    dropout,
    dropPath,
    dropPathRates: applied.dropPathRates ?? [],
    sites: {
      dropout: sites.filter((s) => s.dropoutSite === 'dropout').length,
      dropPath: sites.filter((s) => s.dropoutSite === 'dropPath').length,
    },
  };
}

/** MNIST's training split (or its first `limit` examples), scaled to [0, 1]. */
export async function loadScaledMnist(limit: number | undefined): Promise<Dataset> {
  const raw = await loadMnist({ split: 'train', ...(limit === undefined ? {} : { limit }) });
  return fitNormalization(raw, { method: 'scale' }).apply(raw);
}

/** One full read: the IDX files, then every batch of one shuffled epoch, made and disposed. */
async function readOnce(
  limit: number | undefined,
  batchSize: number,
  seed: number,
  epoch: number,
): Promise<{ loadMs: number; batchesMs: number; examples: number; batches: number }> {
  const start = performance.now();
  const ds = await loadScaledMnist(limit);
  const loaded = performance.now();
  let examples = 0;
  let batches = 0;
  for (const b of ds.batches({ batchSize, shuffle: true, seed, epoch, oneHot: true })) {
    examples += b.indices.length;
    batches++;
    tf.dispose([b.xs, b.ys]);
  }
  const end = performance.now();
  return { loadMs: loaded - start, batchesMs: end - loaded, examples, batches };
}

async function timeStep(
  step: TrainingStep,
  batch: TrainingBatch,
  backend: BenchBackend,
): Promise<{ ms: number; loss: number }> {
  const start = performance.now();
  const loss = step(batch);
  // A device backend computes lazily: the clock stops once the loss has been read back.
  await backend.force(loss);
  const ms = performance.now() - start;
  const value = (await loss.data())[0] as number;
  loss.dispose();
  return { ms, loss: value };
}

/**
 * Times, side by side in one process, a training step (forward, backward, Adam update) of the
 * model with scheduled dropout (every dropout site and the drop-path sites set from
 * {@link SCHEDULE}) against the same step with every rate 0, and reading MNIST from its IDX
 * files into one epoch of batches. Each round runs the two steps (in alternating order) and one
 * read; warm-up rounds come first. Every round must leave `tf.memory().numTensors` as it found it.
 *
 * @param config - {@link TrainStepConfig}.
 * @param backend - the backend, already set up.
 * @param progress - receives one line per round.
 * @throws TrainingLeakError on a leak; DropkitError on a non-finite loss or missing gradients.
 */
export async function runTrainStepBench(
  config: TrainStepConfig,
  backend: BenchBackend,
  progress: (line: string) => void,
): Promise<TrainStepMeasurement> {
  assertGradientsRegistered();
  const tensorsAtStart = tf.memory().numTensors;
  const model = config.model.build(config.seed);
  const frozen = layersToFreeze(model);
  for (const name of frozen.names) model.getLayer(name).trainable = false;
  const params = trainableParameters(model);
  const optimizer = tf.train.adam(1e-3);
  const step = createTrainingStep(model, optimizer);
  let rates: AppliedScheduleRates | undefined;
  const setRates = (variant: TrainStepVariant) => {
    if (variant === 'scheduledDropout') rates = applyScheduledRates(model, config.batchSize);
    else applyRates(model, { dropout: 0, dropPath: 0 });
  };
  const samples: Record<TrainStepVariant, number[]> = { scheduledDropout: [], noDropout: [] };
  const losses: Record<TrainStepVariant, number> = { scheduledDropout: NaN, noDropout: NaN };
  const reads: { loadMs: number; batchesMs: number; examples: number; batches: number }[] = [];
  let batch: TrainingBatch | undefined;
  try {
    const data = await loadScaledMnist(config.readLimit ?? config.batchSize);
    const first = data
      .batches({ batchSize: config.batchSize, shuffle: true, seed: config.seed, oneHot: true })
      .next();
    if (first.done) throw new DropkitError('MNIST gave no batch');
    batch = { xs: first.value.xs, ys: first.value.ys };
    const total = config.warmup + config.runs;
    for (let round = 0; round < total; round++) {
      const timed = round >= config.warmup;
      // Adam's slot variables appear at the first step, so leaks are counted from round 1 on.
      const before = tf.memory().numTensors;
      const order = round % 2 === 0 ? TRAIN_STEP_VARIANTS : [...TRAIN_STEP_VARIANTS].reverse();
      const line: string[] = [];
      for (const variant of order) {
        setRates(variant);
        const { ms, loss } = await timeStep(step, batch, backend);
        if (!Number.isFinite(loss)) {
          throw new DropkitError(`the ${variant} training step gave a non-finite loss (${loss})`);
        }
        if (timed) {
          samples[variant].push(ms);
          losses[variant] = loss;
        }
        line.push(`${variant} ${ms.toFixed(0)} ms`);
      }
      const read = await readOnce(config.readLimit, config.batchSize, config.seed, round);
      if (timed) reads.push(read);
      line.push(`read ${(read.loadMs + read.batchesMs).toFixed(0)} ms`);
      const after = tf.memory().numTensors;
      if (round > 0 && after !== before) {
        throw new TrainingLeakError(`train-step round ${round + 1}`, before, after);
      }
      progress(`[${round + 1}/${total}]${timed ? '' : ' warm-up'} ${line.join(', ')}`);
    }
  } finally {
    if (batch !== undefined) tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    model.dispose();
  }
  const after = tf.memory().numTensors;
  if (after !== tensorsAtStart) {
    throw new TrainingLeakError(
      'train-step (model, optimizer and data disposed)',
      tensorsAtStart,
      after,
    );
  }
  const timing = (variant: TrainStepVariant): TrainStepTiming => {
    const m = median(samples[variant]);
    return {
      samplesMs: samples[variant],
      medianMs: m,
      examplesPerSecond: config.batchSize / (m / 1000),
      lastLoss: losses[variant],
    };
  };
  const steps = { scheduledDropout: timing('scheduledDropout'), noDropout: timing('noDropout') };
  const readSamples = reads.map((r) => r.loadMs + r.batchesMs);
  const readMedian = median(readSamples);
  const examples = reads[0]?.examples ?? 0;
  const read: ReadTiming = {
    samplesMs: readSamples,
    medianMs: readMedian,
    examples,
    batches: reads[0]?.batches ?? 0,
    loadMedianMs: median(reads.map((r) => r.loadMs)),
    batchesMedianMs: median(reads.map((r) => r.batchesMs)),
    examplesPerSecond: examples / (readMedian / 1000),
  };
  return {
    model: {
      name: config.model.name,
      description: config.model.description,
      targetModel: config.model.targetModel,
      trainableParameters: params,
      frozen: frozen.names,
      frozenReason: frozen.reason,
    },
    batchSize: config.batchSize,
    optimizer: 'Adam (learning rate 1e-3, tfjs defaults otherwise)',
    rates: rates as AppliedScheduleRates,
    steps,
    read,
    ratios: {
      scheduledOverNoDropout: steps.scheduledDropout.medianMs / steps.noDropout.medianMs,
      readOverTrain: read.examplesPerSecond / steps.scheduledDropout.examplesPerSecond,
    },
  };
}
