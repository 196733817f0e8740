import { DropkitError } from '@dropkit/core';
import type { Dataset } from '@dropkit/datasets';
import {
  createRecorder,
  type DiagnosticsRecord,
  distanceFromInitProbe,
  gradientDirectionProbe,
  gradientNormProbe,
  objectiveFromModel,
} from '@dropkit/diagnostics';
import { DropoutScheduler } from '@dropkit/layers';
import { parseSchedule, stepsPerEpoch } from '@dropkit/schedules';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchBackend } from './benchBackends.js';
import { type BenchModel, trainableParameters } from './benchModels.js';
import { median } from './timing.js';
import { createTrainingStep, type TrainingBatch } from './trainingStep.js';
import {
  assertGradientsRegistered,
  layersToFreeze,
  loadScaledMnist,
  MNIST_TRAIN_SIZE,
  SCHEDULE,
  type TimedSamples,
  TrainingLeakError,
} from './trainStepBench.js';

/** The measurements the recorder takes, by the names its records use. */
export const RECORDED_PROBES = ['gradientDirection', 'gradientNorm', 'distanceFromInit'] as const;
/** One of {@link RECORDED_PROBES}. */
export type RecordedProbe = (typeof RECORDED_PROBES)[number];

/** What {@link runDiagnosticsOverheadBench} measures. */
export interface DiagnosticsOverheadConfig {
  readonly model: BenchModel;
  readonly batchSize: number;
  /** Training steps per run. */
  readonly steps: number;
  /** Measure every this many steps (at steps 0, every, 2 * every, ...). */
  readonly every: number;
  /** K, the mini-batch gradients of GDV / GDE. */
  readonly k: number;
  /** Examples the full gradient of GDE is taken over. */
  readonly fullSubset: number;
  /** Untimed training steps (and one measurement) first, to warm the kernels up. */
  readonly warmupSteps: number;
  /** Train on the first `dataLimit` MNIST examples (quick mode); undefined: all 60,000. */
  readonly dataLimit: number | undefined;
  readonly seed: number;
}

/** One training run. */
export interface TrainingRun {
  /** Wall time of the whole run, recorder creation and every measurement included. */
  readonly totalMs: number;
  /** Every training step's time (forward, backward, update, loss read back). */
  readonly stepsMs: readonly number[];
  readonly stepMedianMs: number;
  /** The sum of the recorder's `step()` times (0 without a recorder). */
  readonly recordingMs: number;
  readonly lastLoss: number;
}

/** The cost of one probe over the measurements. */
export interface ProbeCost extends TimedSamples {
  /** The largest sampled peak of extra bytes the probe held, over the measurements. */
  readonly peakBytes: number;
}

/** Everything {@link runDiagnosticsOverheadBench} measured. */
export interface DiagnosticsOverheadMeasurement {
  readonly model: {
    readonly name: string;
    readonly description: string;
    readonly targetModel: boolean;
    readonly trainableParameters: number;
    readonly frozen: readonly string[];
    readonly frozenReason: string | null;
  };
  readonly batchSize: number;
  readonly steps: number;
  readonly every: number;
  readonly k: number;
  readonly fullSubset: number;
  readonly schedule: string;
  readonly runs: { readonly withoutRecorder: TrainingRun; readonly withRecorder: TrainingRun };
  /** Records taken in the recorded run (steps 0, every, ... below `steps`). */
  readonly measurements: number;
  /** Each probe's cost per measurement, from the records. */
  readonly perMeasurement: Readonly<Record<RecordedProbe, ProbeCost>>;
  /** The recorder's `step()` time per measurement (all probes, record written). */
  readonly measurementMs: TimedSamples;
  /**
   * Examples one measurement runs forward and backward (K mini-batches, the full-gradient subset,
   * the gradient-norm batch) against examples trained between two measurements.
   */
  readonly work: {
    readonly examplesPerMeasurement: number;
    readonly examplesTrainedPerInterval: number;
    /** examplesPerMeasurement / examplesTrainedPerInterval: what recording adds at equal cost per example. */
    readonly fraction: number;
  };
  /** The values of the last record, as a sanity check that the measurements ran. */
  readonly lastValues: {
    readonly gdv: number;
    readonly gde: number;
    readonly gradientNorm: number;
    readonly distanceFromInit: number;
  };
  readonly ratios: {
    /** Total time with the recorder / without: the figure the target is judged on. */
    readonly withOverWithout: number;
    /** Recording time / training-step time within the recorded run. */
    readonly recordingOverTraining: number;
  };
}

/** An endless stream of shuffled training batches, epoch after epoch; each is handed over. */
function* trainingBatches(
  data: Dataset,
  batchSize: number,
  seed: number,
): Generator<TrainingBatch> {
  for (let epoch = 0; ; epoch++) {
    for (const b of data.batches({ batchSize, shuffle: true, seed, epoch, oneHot: true })) {
      yield { xs: b.xs, ys: b.ys };
    }
  }
}

/** Per-example softmax cross-entropy on logits, the loss the training step minimizes. */
const perExampleLoss = (yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor =>
  tf.losses.softmaxCrossEntropy(yTrue, logits, undefined, undefined, tf.Reduction.NONE);

interface RunOptions {
  readonly steps: number;
  readonly record: boolean;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Trains the model for N steps twice from the same initial weights, data order and dropout
 * schedule: without a recorder, then with one measuring GDV and GDE (K mini-batches, the full
 * gradient over a fixed subset), the gradient norm and the distance from the initial weights
 * every `every` steps. Each run's wall time covers everything it does, the recorder's creation
 * and every measurement included; `tf.memory().numTensors` must be the same after each run as
 * before it.
 *
 * @param config - {@link DiagnosticsOverheadConfig}.
 * @param backend - the backend, already set up.
 * @param progress - receives progress lines.
 * @throws TrainingLeakError on a leak; DropkitError on a non-finite loss or missing gradients.
 */
export async function runDiagnosticsOverheadBench(
  config: DiagnosticsOverheadConfig,
  backend: BenchBackend,
  progress: (line: string) => void,
): Promise<DiagnosticsOverheadMeasurement> {
  assertGradientsRegistered();
  const tensorsAtStart = tf.memory().numTensors;
  const data = await loadScaledMnist(config.dataLimit);
  if (data.size < config.fullSubset) {
    throw new DropkitError(
      `the full-gradient subset (${config.fullSubset}) is larger than the ${data.size} examples loaded`,
    );
  }
  const model = config.model.build(config.seed);
  const frozen = layersToFreeze(model);
  for (const name of frozen.names) model.getLayer(name).trainable = false;
  const params = trainableParameters(model);
  const initial = model.getWeights().map((w) => tf.clone(w));
  const perEpoch = stepsPerEpoch({ trainSize: MNIST_TRAIN_SIZE, batchSize: config.batchSize });
  const schedule = parseSchedule(SCHEDULE);
  let records: DiagnosticsRecord[] = [];
  const measurementSamples: number[] = [];

  const run = async ({ steps, record }: RunOptions): Promise<TrainingRun> => {
    const before = tf.memory().numTensors;
    model.setWeights(initial);
    const optimizer = tf.train.adam(1e-3);
    const step = createTrainingStep(model, optimizer);
    const scheduler = new DropoutScheduler({
      dropout: schedule,
      dropPath: schedule,
      stepsPerEpoch: perEpoch,
    });
    const batches = trainingBatches(data, config.batchSize, config.seed);
    const stepsMs: number[] = [];
    let recordingMs = 0;
    let lastLoss = Number.NaN;
    const start = performance.now();
    // Everything the recorder holds is made inside the timed region: it is part of recording.
    // The measurements draw from their own stream, so both runs train on the same batches.
    const kBatches = trainingBatches(data, config.batchSize, config.seed + 1);
    const normBatch = record ? (kBatches.next().value as TrainingBatch) : undefined;
    const subset = data.take(config.fullSubset);
    const recorder =
      record && normBatch !== undefined
        ? createRecorder({
            target: objectiveFromModel(model, { loss: perExampleLoss }),
            every: config.every,
            probes: [
              gradientDirectionProbe({
                batches: kBatches,
                // A fresh pass over the same subset at each measurement.
                fullData: {
                  [Symbol.iterator]: () =>
                    subset.batches({ batchSize: config.batchSize, oneHot: true }),
                },
                k: config.k,
                fullSubsetSize: config.fullSubset,
                disposeBatches: true,
              }),
              gradientNormProbe({ data: normBatch }),
              distanceFromInitProbe(),
            ],
          })
        : undefined;
    try {
      for (let s = 0; s < steps; s++) {
        if (recorder !== undefined) {
          const t0 = performance.now();
          const rec = await recorder.step(s);
          if (rec !== null) {
            const ms = performance.now() - t0;
            recordingMs += ms;
            measurementSamples.push(ms);
          }
        }
        scheduler.advance(model);
        const batch = batches.next().value as TrainingBatch;
        const t0 = performance.now();
        const loss = step(batch);
        await backend.force(loss);
        stepsMs.push(performance.now() - t0);
        lastLoss = (await loss.data())[0] as number;
        tf.dispose([loss, batch.xs, batch.ys]);
        if (!Number.isFinite(lastLoss)) {
          throw new DropkitError(`training step ${s} gave a non-finite loss (${lastLoss})`);
        }
      }
      if (recorder !== undefined) await recorder.flush();
    } finally {
      if (recorder !== undefined) {
        records = [...recorder.records];
        recorder.dispose();
      }
      if (normBatch !== undefined) tf.dispose([normBatch.xs, normBatch.ys]);
      optimizer.dispose();
      // The generators hold no tensors between batches, so dropping them leaks nothing.
    }
    const totalMs = performance.now() - start;
    const after = tf.memory().numTensors;
    if (after !== before) {
      throw new TrainingLeakError(
        `diagnostics-overhead run (${record ? 'with' : 'without'} recorder)`,
        before,
        after,
      );
    }
    return { totalMs, stepsMs, stepMedianMs: median(stepsMs), recordingMs, lastLoss };
  };

  let withoutRecorder: TrainingRun;
  let withRecorder: TrainingRun;
  try {
    if (config.warmupSteps > 0) {
      progress(`warm-up: ${config.warmupSteps} step(s) and one measurement, untimed`);
      await run({ steps: config.warmupSteps, record: true });
      measurementSamples.length = 0;
    }
    progress(`training ${config.steps} steps without a recorder`);
    withoutRecorder = await run({ steps: config.steps, record: false });
    progress(
      `training ${config.steps} steps with a recorder every ${config.every} steps (K = ${config.k}, full subset ${config.fullSubset})`,
    );
    withRecorder = await run({ steps: config.steps, record: true });
  } finally {
    tf.dispose(initial);
    model.dispose();
  }
  const after = tf.memory().numTensors;
  if (after !== tensorsAtStart) {
    throw new TrainingLeakError('diagnostics-overhead (model disposed)', tensorsAtStart, after);
  }
  if (records.length === 0) throw new DropkitError('the recorder took no measurement');
  const probeCost = (name: RecordedProbe): ProbeCost => {
    const costs = records.map((r) => r.costs[name]);
    if (costs.some((c) => c === undefined)) {
      throw new DropkitError(`a record has no cost for ${name}`);
    }
    const samples = costs.map((c) => c?.ms as number);
    return {
      samplesMs: samples,
      medianMs: median(samples),
      peakBytes: Math.max(...costs.map((c) => c?.peakBytes as number)),
    };
  };
  const last = records[records.length - 1] as DiagnosticsRecord;
  const value = (path: string[]): number => {
    let v: unknown = last.values;
    for (const key of path) v = (v as Record<string, unknown> | undefined)?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DropkitError(`the last record's ${path.join('.')} is ${String(v)}, not a number`);
    }
    return v;
  };
  const examplesPerMeasurement = config.k * config.batchSize + config.fullSubset + config.batchSize;
  const examplesTrainedPerInterval = config.every * config.batchSize;
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
    steps: config.steps,
    every: config.every,
    k: config.k,
    fullSubset: config.fullSubset,
    schedule: SCHEDULE,
    runs: { withoutRecorder, withRecorder },
    measurements: records.length,
    perMeasurement: {
      gradientDirection: probeCost('gradientDirection'),
      gradientNorm: probeCost('gradientNorm'),
      distanceFromInit: probeCost('distanceFromInit'),
    },
    measurementMs: { samplesMs: [...measurementSamples], medianMs: median(measurementSamples) },
    work: {
      examplesPerMeasurement,
      examplesTrainedPerInterval,
      fraction: examplesPerMeasurement / examplesTrainedPerInterval,
    },
    lastValues: {
      gdv: value(['gradientDirection', 'gdv']),
      gde: value(['gradientDirection', 'gde']),
      gradientNorm: value(['gradientNorm', 'total']),
      distanceFromInit: value(['distanceFromInit', 'total']),
    },
    ratios: {
      withOverWithout: withRecorder.totalMs / withoutRecorder.totalMs,
      recordingOverTraining: withRecorder.recordingMs / sum(withRecorder.stepsMs),
    },
  };
}
