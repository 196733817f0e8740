import { assertInteger, DropkitError, InvalidArgumentError } from '@dropkit/core';
import type { BatchIterator, Dataset } from '@dropkit/datasets';
import { type Batch, gradientDirectionStats, type Objective } from '@dropkit/diagnostics';
import { applyRates, findDropoutSites } from '@dropkit/layers';
import { Generator } from '@dropkit/ops';
import { toArray } from '@dropkit/schedules';
import {
  addN,
  argMax,
  cast,
  dispose,
  equal,
  keep,
  losses,
  type Optimizer,
  type Scalar,
  square,
  stack,
  sum,
  type Tensor,
  tidy,
  train,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle does): training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DemoData } from '../data/loadDemoData.ts';
import { buildDemoModel } from './buildDemoModel.ts';
import type { DiagnosticsRecord, EvalRecord, StepRecord } from './records.ts';
import { type RunConfig, scheduleOf, validateRunConfig } from './runConfig.ts';

/** How much each evaluation and measurement looks at; the defaults suit the page. */
export interface SessionOptions {
  /** K, the mini-batch gradients of each GDV / GDE measurement, >= 2. Default 4. */
  readonly diagnosticsK?: number;
  /** The training examples the full gradient of GDE is taken over. Default 512. */
  readonly diagnosticsExamples?: number;
  /** The training examples the train loss and accuracy of an evaluation use. Default 1,000. */
  readonly evalTrainExamples?: number;
  /** The test examples an evaluation uses. Default: the whole test set. */
  readonly evalTestExamples?: number;
}

/** The defaults of {@link SessionOptions}. */
export const DEFAULT_SESSION_OPTIONS = {
  diagnosticsK: 4,
  diagnosticsExamples: 512,
  evalTrainExamples: 1000,
  evalTestExamples: Number.POSITIVE_INFINITY,
} as const satisfies Required<SessionOptions>;

const EVAL_BATCH = 500;
// Seeds the diagnostics' probe batches apart from the training order.
const PROBE_SEED_OFFSET = 0x5eed;

/** A training run in progress: one call per optimizer step, evaluations and diagnostics between. */
export interface TrainingSession {
  readonly config: RunConfig;
  /** The model being trained (logits out). */
  readonly model: LayersModel;
  /** Trainable parameters of the model. */
  readonly parameterCount: number;
  /** Optimizer steps per pass over the training set (the last partial batch is dropped). */
  readonly stepsPerEpoch: number;
  /** The scheduled dropout rate of every step, `config.steps` values. */
  readonly rates: readonly number[];
  /** Optimizer steps done so far. */
  readonly stepsDone: number;
  /** Takes one optimizer step at the scheduled rate. */
  step(): Promise<StepRecord>;
  /** Train and test loss and accuracy in inference mode, at the current weights. */
  evaluate(): EvalRecord;
  /** GDV and GDE at the current weights, with dropout at the next step's rate. */
  diagnose(): Promise<DiagnosticsRecord>;
  /** Frees the model, the optimizer and every tensor the session holds. Idempotent. */
  dispose(): void;
}

const now = (): number => performance.now();

class Session implements TrainingSession {
  readonly parameterCount: number;
  readonly stepsPerEpoch: number;
  readonly rates: readonly number[];
  stepsDone = 0;
  private readonly params: Variable[];
  private readonly optimizer: Optimizer;
  private readonly objective: Objective;
  private readonly generatorLayers: { generator: Generator | undefined }[];
  private iterator: BatchIterator | null = null;
  private diagnosticsCount = 0;
  private disposed = false;

  constructor(
    readonly config: RunConfig,
    readonly model: LayersModel,
    private readonly data: DemoData,
    private readonly options: Required<SessionOptions>,
  ) {
    this.params = model.trainableWeights.map((w) => w.read() as Variable);
    this.parameterCount = this.params.reduce((a, p) => a + p.size, 0);
    this.stepsPerEpoch = Math.floor(data.train.size / config.batchSize);
    const schedule = scheduleOf(config);
    this.rates =
      schedule === null ? new Array(config.steps).fill(0) : toArray(schedule, config.steps);
    this.optimizer = train.adam(config.learningRate);
    this.objective = {
      params: this.params,
      loss: (batch, training) =>
        tidy(
          () =>
            losses.softmaxCrossEntropy(
              batch.ys as Tensor,
              model.apply(batch.xs as Tensor, { training }) as Tensor,
            ) as Scalar,
        ),
    };
    this.generatorLayers = findDropoutSites(model)
      .map((l) => l as unknown as { generator?: unknown })
      .filter((l): l is { generator: Generator } => l.generator instanceof Generator);
  }

  private assertLive(): void {
    if (this.disposed) throw new DropkitError('This training session was disposed.');
  }

  private nextBatch(): { xs: Tensor; ys: Tensor } {
    const epoch = Math.floor(this.stepsDone / this.stepsPerEpoch);
    if (this.iterator === null || this.iterator.epoch !== epoch) {
      this.iterator = this.data.train.batches({
        batchSize: this.config.batchSize,
        shuffle: true,
        seed: this.config.seed,
        epoch,
        startBatch: this.stepsDone % this.stepsPerEpoch,
        dropRemainder: true,
        oneHot: true,
      });
    }
    const next = this.iterator.next();
    if (next.done) throw new Error(`unreachable: epoch ${epoch} ran out of batches`);
    return next.value;
  }

  async step(): Promise<StepRecord> {
    this.assertLive();
    const index = this.stepsDone;
    if (index >= this.config.steps) {
      throw new DropkitError(`The run is complete: all ${this.config.steps} steps were taken.`);
    }
    const start = now();
    const rate = this.rates[index] as number;
    applyRates(this.model, { dropout: rate });
    const { xs, ys } = this.nextBatch();
    let correct: Tensor | undefined;
    let summary: Tensor | undefined;
    try {
      const { value, grads } = variableGrads(() => {
        const logits = this.model.apply(xs, { training: true }) as Tensor;
        correct = keep(sum(cast(equal(argMax(logits, -1), argMax(ys, -1)), 'float32')));
        return losses.softmaxCrossEntropy(ys, logits) as Scalar;
      }, this.params);
      const list = this.params.map((p) => grads[p.name] as Tensor);
      summary = tidy(() =>
        stack([value, correct as Tensor, addN(list.map((g) => sum(square(g))))]),
      );
      this.optimizer.applyGradients(
        this.params.map((p, i) => ({ name: p.name, tensor: list[i] as Tensor })),
      );
      dispose([value, ...list]);
      // One read-back per step: on a GPU each one is a round trip.
      const [loss, hits, squaredNorm] = Array.from(await summary.data());
      if (!Number.isFinite(loss)) {
        throw new DropkitError(
          `The training loss became ${loss} at step ${index}; lower the learning rate.`,
        );
      }
      this.stepsDone = index + 1;
      return {
        type: 'step',
        step: index,
        loss: loss as number,
        accuracy: (hits as number) / (xs.shape[0] as number),
        rate,
        gradNorm: Math.sqrt(squaredNorm as number),
        ms: now() - start,
      };
    } finally {
      dispose([xs, ys, ...(correct ? [correct] : []), ...(summary ? [summary] : [])]);
    }
  }

  private lossAndAccuracy(
    ds: Dataset,
    limit: number,
  ): { loss: number; accuracy: number; n: number } {
    let lossSum = 0;
    let hits = 0;
    const part = limit < ds.size ? ds.take(limit) : ds;
    for (const { xs, ys } of part.batches({ batchSize: EVAL_BATCH, oneHot: true })) {
      const summary = tidy(() => {
        const logits = this.model.apply(xs, { training: false }) as Tensor;
        return stack([
          losses.softmaxCrossEntropy(ys, logits),
          sum(cast(equal(argMax(logits, -1), argMax(ys, -1)), 'float32')),
        ]);
      });
      const [l, c] = summary.dataSync();
      dispose([summary, xs, ys]);
      lossSum += (l as number) * (xs.shape[0] as number);
      hits += c as number;
    }
    return { loss: lossSum / part.size, accuracy: hits / part.size, n: part.size };
  }

  evaluate(): EvalRecord {
    this.assertLive();
    const tr = this.lossAndAccuracy(this.data.train, this.options.evalTrainExamples);
    const te = this.lossAndAccuracy(this.data.test, this.options.evalTestExamples);
    if (!Number.isFinite(tr.loss) || !Number.isFinite(te.loss)) {
      throw new DropkitError(
        `The evaluation loss is not finite at step ${this.stepsDone} (train ${tr.loss}, test ${te.loss}).`,
      );
    }
    return {
      type: 'eval',
      step: this.stepsDone,
      trainLoss: tr.loss,
      trainAccuracy: tr.accuracy,
      testLoss: te.loss,
      testAccuracy: te.accuracy,
      trainExamples: tr.n,
      testExamples: te.n,
    };
  }

  async diagnose(): Promise<DiagnosticsRecord> {
    this.assertLive();
    const start = now();
    const rate = this.rates[Math.min(this.stepsDone, this.config.steps - 1)] as number;
    applyRates(this.model, { dropout: rate });
    // The measurement draws dropout masks; restoring the generators afterwards keeps the
    // training run the same whether or not it is diagnosed.
    const saved = this.generatorLayers.map((l) => l.generator?.state);
    const batchSize = Math.min(this.config.batchSize, this.data.train.size);
    const probes: Batch[] = [];
    const full: Batch[] = [];
    try {
      for (const { xs, ys } of this.data.train.batches({
        batchSize,
        shuffle: true,
        seed: (this.config.seed + PROBE_SEED_OFFSET) % Number.MAX_SAFE_INTEGER,
        epoch: this.diagnosticsCount,
        oneHot: true,
      })) {
        probes.push({ xs, ys });
        if (probes.length === this.options.diagnosticsK) break;
      }
      const examples = Math.min(this.options.diagnosticsExamples, this.data.train.size);
      for (const { xs, ys } of this.data.train.take(examples).batches({
        batchSize: Math.min(256, examples),
        oneHot: true,
      })) {
        full.push({ xs, ys });
      }
      const r = await gradientDirectionStats(this.objective, {
        batches: probes,
        fullData: full,
        k: probes.length,
      });
      this.diagnosticsCount += 1;
      return {
        type: 'diagnostics',
        step: this.stepsDone,
        gdv: r.gdv,
        gde: r.gde,
        k: r.k,
        examples: r.fullSubsetSize,
        rate,
        ms: now() - start,
      };
    } finally {
      for (const b of [...probes, ...full]) dispose([b.xs as Tensor, b.ys as Tensor]);
      this.generatorLayers.forEach((l, i) => {
        const s = saved[i];
        if (s !== undefined) l.generator = Generator.fromState(s);
      });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    this.model.dispose();
  }
}

/**
 * Starts a training run of the demo on the current tfjs backend: builds the model from the seed,
 * an Adam optimizer, and the run's dropout schedule, one rate per step, set on every dropout site
 * with `applyRates` before each step (the official early / late dropout loop). Batches are shuffled
 * per epoch from the seed; the last partial batch is dropped. Nothing here touches the DOM or
 * worker globals, so it runs the same in a worker, on a page and in Node.
 *
 * @param config - the run's configuration (checked again here).
 * @param data - the data set (see `loadDemoData`).
 * @param options - {@link SessionOptions}: how much evaluations and diagnostics look at.
 * @returns the session; call `dispose()` when done.
 * @throws InvalidArgumentError for a bad config or option, or a batch size larger than the
 *   training set.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { createTrainingSession, DEFAULT_RUN_CONFIG } from '@dropkit/demo/training';
 * import { loadDemoData } from '@dropkit/demo/data';
 * const before = tf.memory().numTensors;
 * const config = { ...DEFAULT_RUN_CONFIG, dataset: 'spirals', schedule: 'late', rate: 0.3, cutoff: 2, steps: 4 } as const;
 * const session = await createTrainingSession(config, await loadDemoData('spirals'));
 * const rates = [];
 * for (let i = 0; i < 4; i++) rates.push((await session.step()).rate);
 * console.log(rates, session.evaluate().testExamples); // [ 0, 0, 0.3, 0.3 ] 1000
 * session.dispose();
 * console.log(tf.memory().numTensors === before); // true
 * ```
 */
export async function createTrainingSession(
  config: RunConfig,
  data: DemoData,
  options: SessionOptions = {},
): Promise<TrainingSession> {
  const checked = validateRunConfig(config);
  if (checked.dataset !== data.name) {
    throw new InvalidArgumentError('data', data.name, `the "${checked.dataset}" set of the config`);
  }
  if (checked.batchSize > data.train.size) {
    throw new InvalidArgumentError(
      'batchSize',
      checked.batchSize,
      `at most the ${data.train.size} training examples`,
    );
  }
  const o = { ...DEFAULT_SESSION_OPTIONS, ...options };
  assertInteger('diagnosticsK', o.diagnosticsK, { min: 2 });
  assertInteger('diagnosticsExamples', o.diagnosticsExamples, { min: 1 });
  assertInteger('evalTrainExamples', o.evalTrainExamples, { min: 1 });
  if (o.evalTestExamples !== Number.POSITIVE_INFINITY) {
    assertInteger('evalTestExamples', o.evalTestExamples, { min: 1 });
  }
  return new Session(checked, buildDemoModel(checked.model, data, checked.seed), data, o);
}
