import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '@dropkit/backends';
import { DropkitError } from '@dropkit/core';
import type { Dataset } from '@dropkit/datasets';
import {
  type Batch,
  condensation,
  distanceFromInit,
  gradientDirectionStats,
  gradientNorm,
  hessianTopEigenvalue,
  type Objective,
  type ParameterSnapshot,
  snapshotParameters,
} from '@dropkit/diagnostics';
import { applyRates, findDropoutSites } from '@dropkit/layers';
import { Generator } from '@dropkit/ops';
import { rateAt, type Schedule, stepsPerEpoch } from '@dropkit/schedules';
import {
  argMax,
  dispose,
  equal,
  getBackend,
  getGradient,
  losses,
  type Optimizer,
  reshape,
  type Scalar,
  sum,
  type Tensor,
  tensor,
  tidy,
  train,
  Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from './atomicWrite.js';
import {
  type Checkpoint,
  readCheckpoint,
  type StoredTensor,
  writeCheckpoint,
} from './checkpoint.js';
import { type ExperimentConfig, type ResolvedConfig, resolveConfig, underPath } from './config.js';
import { loadExperimentData } from './data.js';
import { OutputWriteError } from './errors.js';
import { buildModel } from './model.js';
import {
  CHECKPOINT_FILE,
  type DiagnosticsLogRecord,
  type EpochRecord,
  LOG_FILE,
  RunLog,
  type RunRecord,
  readRunLog,
} from './runLog.js';

/** What {@link run} reports as it goes. */
export type ProgressEvent =
  | {
      readonly type: 'start';
      readonly step: number;
      readonly totalSteps: number;
      readonly resumed: boolean;
      readonly backend: string;
      readonly source: string;
    }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly totalSteps: number;
      readonly epoch: number;
      readonly loss: number;
    }
  | { readonly type: 'epoch'; readonly record: EpochRecord; readonly epochs: number }
  | { readonly type: 'diagnostics'; readonly record: DiagnosticsLogRecord }
  | { readonly type: 'checkpoint'; readonly step: number; readonly path: string };

/** Options of {@link run}. */
export interface RunOptions {
  /** The run directory: `log.jsonl`, `checkpoint.bin`, condensation matrices. Created if needed. */
  readonly outDir: string;
  /** Called with each {@link ProgressEvent}; a throw stops the run (no checkpoint is written). */
  readonly onProgress?: (event: ProgressEvent) => void;
  /**
   * Stops the run cleanly: the current step finishes, a checkpoint is written and `run` resolves
   * with status `interrupted`. Wire SIGINT to it for Ctrl-C.
   */
  readonly signal?: AbortSignal;
  /** Continue from the checkpoint in `outDir`, if one exists. Default true; false starts over. */
  readonly resume?: boolean;
}

/** What {@link run} resolves with. */
export interface RunResult {
  /** `completed`, or `interrupted` by the signal (resumable). */
  readonly status: 'completed' | 'interrupted';
  /** Optimizer steps done. */
  readonly step: number;
  /** Steps of the whole run. */
  readonly totalSteps: number;
  /** Whether this call continued from a checkpoint. */
  readonly resumed: boolean;
  /** The run directory. */
  readonly outDir: string;
  /** The JSONL log. */
  readonly logPath: string;
  /** The last epoch's record, if any epoch finished. */
  readonly lastEpoch: EpochRecord | null;
}

type LossFn = (prediction: Tensor, ys: Tensor) => Scalar;

interface Context {
  readonly config: ResolvedConfig;
  readonly model: LayersModel;
  readonly params: Variable[];
  readonly objective: Objective;
  readonly loss: LossFn;
  readonly classification: boolean;
  readonly train: Dataset;
  readonly test: Dataset;
  readonly generators: {
    readonly name: string;
    readonly layer: { generator: Generator | undefined };
  }[];
}

const EVAL_BATCH = 512;
// Seeds the probe batches of the diagnostics apart from the training order.
const PROBE_SEED_OFFSET = 0x9e3779b9;

function lossFunction(classification: boolean): LossFn {
  return classification
    ? (logits, ys) => losses.softmaxCrossEntropy(ys, logits) as Scalar
    : (prediction, ys) =>
        losses.meanSquaredError(reshape(ys, prediction.shape), prediction) as Scalar;
}

function assertGradientsRegistered(): void {
  if (getGradient('Add') == null) {
    throw new DropkitError(
      'TensorFlow.js gradients are not registered, so the lab cannot train. Import ' +
        "'@tensorflow/tfjs' (which registers them), or with @tensorflow/tfjs-core alone import " +
        "'@tensorflow/tfjs-core/dist/register_all_gradients' once before calling run().",
    );
  }
}

/** The rates of one step, and the scheduled values to log. */
function ratesAt(config: ResolvedConfig, step: number, perEpoch: number) {
  const length = { stepsPerEpoch: perEpoch };
  const at = (s: Schedule | undefined) => (s === undefined ? undefined : rateAt(s, step, length));
  const dropout = at(config.schedule.dropout);
  const dropPath = at(config.schedule.dropPath);
  return {
    ...(dropout === undefined ? {} : { dropout }),
    ...(dropPath === undefined ? {} : { dropPath }),
  };
}

async function evaluate(
  ctx: Context,
  ds: Dataset,
  limit: number,
): Promise<{ loss: number; accuracy?: number }> {
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  for (const { xs, ys } of ds.batches({ batchSize: EVAL_BATCH, oneHot: ctx.classification })) {
    if (seen >= limit) {
      dispose([xs, ys]);
      break;
    }
    const n = xs.shape[0] as number;
    const [l, c] = tidy(() => {
      const out = ctx.model.apply(xs, { training: false }) as Tensor;
      const l = ctx.loss(out, ys);
      const c = ctx.classification ? sum(equal(argMax(out, -1), argMax(ys, -1))) : l;
      return [l, c];
    });
    lossSum += ((await l.data())[0] as number) * n;
    correct += ctx.classification ? ((await c.data())[0] as number) : 0;
    dispose([l, c, xs, ys]);
    seen += n;
  }
  const loss = lossSum / seen;
  if (!Number.isFinite(loss))
    throw new DropkitError(`The evaluation loss is not finite (${loss}).`);
  return ctx.classification ? { loss, accuracy: correct / seen } : { loss };
}

function takeBatches(
  ds: Dataset,
  options: Parameters<Dataset['batches']>[0],
  count: number,
): Batch[] {
  const out: Batch[] = [];
  for (const { xs, ys } of ds.batches(options)) {
    out.push({ xs, ys });
    if (out.length === count) break;
  }
  return out;
}

/** Up to `examples` examples of `ds` in batches of `batchSize`, storage order. */
function firstExamples(ds: Dataset, examples: number, oneHot: boolean): Batch[] {
  const size = Math.min(examples, ds.size);
  const batchSize = Math.min(EVAL_BATCH, size);
  return takeBatches(ds, { batchSize, oneHot }, Math.ceil(size / batchSize));
}

function denseLayer(model: LayersModel, name: string | null) {
  if (name !== null) return model.getLayer(name);
  const dense = model.layers.find((l) => l.getClassName() === 'Dense');
  if (dense === undefined) {
    throw new DropkitError(
      'config.diagnostics.condensation needs a Dense layer; the model has none.',
    );
  }
  return dense;
}

async function measure(
  ctx: Context,
  outDir: string,
  step: number,
  final: boolean,
  init: ParameterSnapshot | null,
): Promise<DiagnosticsLogRecord> {
  const d = ctx.config.diagnostics;
  if (d === null) throw new Error('unreachable: no diagnostics configured');
  // Diagnostics draw dropout masks; putting the generators back keeps training independent of them.
  const saved = ctx.generators.map((g) => g.layer.generator?.state);
  const oneHot = ctx.classification;
  const record: Record<string, unknown> = { type: final ? 'final' : 'diagnostics', step };
  const probeOptions = {
    batchSize: ctx.config.training.batchSize,
    shuffle: true,
    seed: (ctx.config.seed + PROBE_SEED_OFFSET) % Number.MAX_SAFE_INTEGER,
    epoch: step % 0x100000000,
    oneHot,
  };
  const k = d.gradientDirection?.k ?? 1;
  const probes = takeBatches(ctx.train, probeOptions, k);
  const extra: Batch[] = [];
  try {
    if (d.gradientNorm) {
      record.gradientNorm = (await gradientNorm(ctx.objective, probes[0] as Batch)).total;
    }
    if (d.distance && init !== null) {
      record.distance = (await distanceFromInit(ctx.objective, init)).total;
    }
    if (d.gradientDirection !== null && probes.length >= 2) {
      const full = firstExamples(ctx.train, d.gradientDirection.fullSubsetSize, oneHot);
      extra.push(...full);
      const r = await gradientDirectionStats(ctx.objective, {
        batches: probes,
        fullData: full,
        k: probes.length,
      });
      record.gdv = r.gdv;
      record.gde = r.gde;
    }
    if (d.condensation !== null && (step === 0 || final)) {
      const layer = denseLayer(ctx.model, d.condensation.layer);
      const report = await condensation(layer as never, { threshold: d.condensation.threshold });
      const file = `condensation-${final ? 'final' : step}.json`;
      writeFileAtomic(
        join(outDir, file),
        new TextEncoder().encode(
          JSON.stringify({ layer: layer.name, step, matrix: report.matrix, order: report.order }),
        ),
        'write the condensation matrix',
      );
      record.condensation = {
        layer: layer.name,
        units: report.units,
        clusterCount: report.clusterCount,
        largestClusterFraction: report.largestClusterFraction,
        file,
      };
    }
    if (d.hessian !== null && final) {
      const data = firstExamples(ctx.train, d.hessian.examples, oneHot);
      extra.push(...data);
      const r = await hessianTopEigenvalue(ctx.objective, data, {
        maxIterations: d.hessian.maxIterations,
        seed: ctx.config.seed,
      });
      record.hessianTop = r.value;
    }
  } finally {
    for (const b of [...probes, ...extra]) dispose([b.xs as Tensor, b.ys as Tensor]);
    ctx.generators.forEach((g, i) => {
      const s = saved[i];
      if (s !== undefined) g.layer.generator = Generator.fromState(s);
    });
  }
  return record as unknown as DiagnosticsLogRecord;
}

async function storedTensors(
  list: readonly { name: string; tensor: Tensor }[],
): Promise<StoredTensor[]> {
  const out: StoredTensor[] = [];
  for (const { name, tensor: t } of list) {
    const data = await t.data();
    out.push({
      name,
      shape: t.shape,
      dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      values: t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data),
    });
  }
  return out;
}

/** The optimizer's weights, read; the iteration count it makes afresh on each call is freed. */
async function optimizerState(optimizer: Optimizer): Promise<StoredTensor[]> {
  const named = await optimizer.getWeights();
  try {
    return await storedTensors(named);
  } finally {
    dispose(named.filter((n) => !(n.tensor instanceof Variable)).map((n) => n.tensor));
  }
}

// Adam keeps beta1^t and beta2^t as variables its getWeights leaves out; setWeights recomputes them
// with pow, which can differ in the last bit from the running product: they are saved as they are.
const OPTIMIZER_EXTRAS = ['accBeta1', 'accBeta2'] as const;

function makeOptimizer(config: ResolvedConfig): Optimizer {
  const o = config.optimizer;
  switch (o.kind) {
    case 'sgd':
      return train.sgd(o.learningRate);
    case 'momentum':
      return train.momentum(o.learningRate, o.momentum);
    case 'adam':
      return train.adam(o.learningRate);
    case 'rmsprop':
      return train.rmsprop(o.learningRate, 0.9, o.momentum);
  }
}

function isGenerator(value: unknown): value is Generator {
  return value instanceof Generator;
}

/**
 * Trains an experiment with a custom loop (`tf.variableGrads` and the optimizer's
 * `applyGradients`, the scheduled rates set with `applyRates` before every step) and writes its
 * run directory: `log.jsonl`, an append-only JSONL log (a `start` line, a `step` line per step,
 * an `epoch` line with train and test loss and accuracy in inference mode, `diagnostics` lines
 * every `diagnostics.every` steps, a `final` diagnostics line and an `end` line), and
 * `checkpoint.bin`, written atomically every `checkpointEvery` steps and at the end with the
 * weights, the optimizer state, every dropout layer's generator state, the data position and the
 * step. A run that crashed or was interrupted continues from its checkpoint when called again on
 * the same directory, cutting the log back to the checkpoint, and ends with the same log, bit for
 * bit, as a run never interrupted.
 *
 * @param config - an {@link ExperimentConfig} (or a resolved one).
 * @param options - {@link RunOptions}.
 * @returns a {@link RunResult}.
 * @throws InvalidArgumentError for a bad config (naming the field) or a directory holding another
 *   config's run; OutputWriteError when the directory or a file cannot be written (the last good
 *   checkpoint stays); DropkitError for a non-finite loss or unregistered gradients.
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readRunLog, run } from '@dropkit/lab';
 * const outDir = join(mkdtempSync(join(tmpdir(), 'lab-')), 'run');
 * const config = {
 *   model: { kind: 'mlp', hidden: [16] },
 *   dataset: { kind: 'twoSpirals', trainSize: 64 },
 *   training: { epochs: 2, batchSize: 16 },
 *   schedule: { dropout: 'early:0.2:cutoff=1ep' },
 *   backend: 'cpu',
 * } as const;
 * const result = await run(config, { outDir });
 * const steps = readRunLog(outDir).filter((r) => r.type === 'step');
 * console.log(result.status, result.step, steps.map((r) => r.dropout).join(' ')); // completed 8 0.2 0.2 0.2 0.2 0 0 0 0
 * ```
 */
export async function run(
  config: ExperimentConfig | ResolvedConfig,
  options: RunOptions,
): Promise<RunResult> {
  const resolved = resolveConfig(config);
  const configJson = JSON.stringify(resolved);
  assertGradientsRegistered();
  const outDir = options.outDir;
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new OutputWriteError(outDir, 'create the output directory', e);
  }
  const logPath = join(outDir, LOG_FILE);
  const checkpointPath = join(outDir, CHECKPOINT_FILE);
  const checkpoint = options.resume === false ? null : readCheckpoint(checkpointPath);
  if (checkpoint !== null && checkpoint.config !== configJson) {
    throw new DropkitError(
      `${outDir} holds a run of another config; give a new output directory, or resume: false to start over.\n  there: ${checkpoint.config}\n  now:   ${configJson}`,
    );
  }
  if (checkpoint?.complete) {
    return {
      status: 'completed',
      step: checkpoint.step,
      totalSteps: checkpoint.step,
      resumed: true,
      outDir,
      logPath,
      lastEpoch: lastEpochOf(readRunLog(logPath)),
    };
  }

  const choice = await useBackend(resolved.backend);
  const { train: trainSet, test, source } = await loadExperimentData(resolved);
  const perEpoch = underPath('config.training', () =>
    stepsPerEpoch({ trainSize: trainSet.size, batchSize: resolved.training.batchSize }),
  );
  const totalSteps = perEpoch * resolved.training.epochs;
  for (const kind of ['dropout', 'dropPath'] as const) {
    const s = resolved.schedule[kind];
    if (s !== undefined) {
      underPath(
        `config.schedule.${kind}`,
        () => rateAt(s, 0, { stepsPerEpoch: perEpoch, totalSteps }),
        'schedule.',
      );
    }
  }
  const classification = trainSet.numClasses !== undefined;
  const model = buildModel(resolved, trainSet);
  const params = model.trainableWeights.map((w) => w.read() as Variable);
  const groupOf = new Map<Variable, string>();
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) groupOf.set(w.read() as Variable, layer.name);
  }
  const loss = lossFunction(classification);
  const objective: Objective = {
    params,
    groups: params.map((p) => groupOf.get(p) ?? p.name),
    loss: (batch, training) =>
      tidy(() => loss(model.apply(batch.xs as Tensor, { training }) as Tensor, batch.ys as Tensor)),
  };
  const generators = findDropoutSites(model)
    .filter((l) => isGenerator((l as { generator?: unknown }).generator))
    .map((l) => ({ name: l.name, layer: l as unknown as { generator: Generator | undefined } }));
  const ctx: Context = {
    config: resolved,
    model,
    params,
    objective,
    loss,
    classification,
    train: trainSet,
    test,
    generators,
  };
  const diag = resolved.diagnostics;
  const init = diag?.distance ? snapshotParameters(objective) : null;
  const optimizer = makeOptimizer(resolved);
  const checkpointEvery = resolved.checkpointEvery ?? perEpoch;
  const diagEvery = diag?.every ?? perEpoch;

  let step = 0;
  let log: RunLog | undefined;
  try {
    if (checkpoint !== null) {
      await restore(ctx, optimizer, checkpoint, checkpointPath);
      step = checkpoint.step;
      log = new RunLog(logPath, checkpoint.logBytes);
    } else {
      log = new RunLog(logPath, 0);
      log.append({
        type: 'start',
        config: JSON.parse(configJson) as Record<string, unknown>,
        source,
        trainSize: trainSet.size,
        testSize: test.size,
        stepsPerEpoch: perEpoch,
        totalSteps,
        parameters: params.reduce((a, p) => a + p.size, 0),
        backend: getBackend(),
      });
    }
    const emit = options.onProgress ?? (() => {});
    emit({
      type: 'start',
      step,
      totalSteps,
      resumed: checkpoint !== null,
      backend: `${choice.name} (${getBackend()})`,
      source,
    });

    const save = async (complete: boolean) => {
      const l = log as RunLog;
      l.sync();
      const cp: Checkpoint = {
        step,
        complete,
        config: configJson,
        logBytes: l.bytes,
        position: { epoch: Math.floor(step / perEpoch), batch: step % perEpoch },
        generators: Object.fromEntries(
          generators.flatMap((g) => (g.layer.generator ? [[g.name, g.layer.generator.state]] : [])),
        ),
        weights: await storedTensors(
          model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })),
        ),
        optimizer: await optimizerState(optimizer),
        optimizerExtras: Object.fromEntries(
          OPTIMIZER_EXTRAS.flatMap((k) => {
            const v = (optimizer as unknown as Record<string, Variable | undefined>)[k];
            return v === undefined ? [] : [[k, v.dataSync()[0] as number]];
          }),
        ),
      };
      writeCheckpoint(checkpointPath, cp);
      emit({ type: 'checkpoint', step, path: checkpointPath });
    };

    let iterator: ReturnType<Dataset['batches']> | null = null;
    let lastEpoch: EpochRecord | null =
      checkpoint === null ? null : lastEpochOf(readRunLog(logPath));
    while (step < totalSteps) {
      const epoch = Math.floor(step / perEpoch);
      // The step's rates go in before the diagnostics, which measure with dropout at them: a run
      // resumed here has a fresh model whose rates would otherwise still be 0.
      const rates = ratesAt(resolved, step, perEpoch);
      applyRates(model, rates);
      if (diag !== null && step % diagEvery === 0) {
        const record = await measure(ctx, outDir, step, false, init);
        log.append(record);
        emit({ type: 'diagnostics', record });
      }
      if (iterator === null || iterator.epoch !== epoch) {
        iterator = trainSet.batches({
          batchSize: resolved.training.batchSize,
          shuffle: true,
          seed: resolved.seed,
          epoch,
          startBatch: step % perEpoch,
          dropRemainder: true,
          oneHot: classification,
        });
      }
      const next = iterator.next();
      if (next.done)
        throw new Error(`unreachable: epoch ${epoch} ran out of batches at step ${step}`);
      const { xs, ys } = next.value;
      const { value, grads } = variableGrads(
        () => loss(model.apply(xs, { training: true }) as Tensor, ys),
        params,
      );
      optimizer.applyGradients(
        params.map((p) => ({ name: p.name, tensor: grads[p.name] as Tensor })),
      );
      const lossValue = (await value.data())[0] as number;
      dispose([value, ...Object.values(grads), xs, ys]);
      if (!Number.isFinite(lossValue)) {
        throw new DropkitError(
          `The training loss became ${lossValue} at step ${step}; lower config.optimizer.learningRate.`,
        );
      }
      if (step % resolved.logEvery === 0) {
        log.append({ type: 'step', step, epoch, loss: lossValue, ...rates });
      }
      emit({ type: 'step', step, totalSteps, epoch, loss: lossValue });
      step += 1;
      let due = step % checkpointEvery === 0 || step === totalSteps;
      if (step % perEpoch === 0) {
        const evalSize = resolved.training.evalSize;
        const tr = await evaluate(ctx, trainSet, evalSize);
        const te = await evaluate(ctx, test, Number.POSITIVE_INFINITY);
        lastEpoch = {
          type: 'epoch',
          epoch,
          step,
          trainLoss: tr.loss,
          testLoss: te.loss,
          ...(tr.accuracy === undefined ? {} : { trainAccuracy: tr.accuracy }),
          ...(te.accuracy === undefined ? {} : { testAccuracy: te.accuracy }),
        };
        log.append(lastEpoch);
        emit({ type: 'epoch', record: lastEpoch, epochs: resolved.training.epochs });
        if (resolved.checkpointEvery === null) due = true;
      }
      // Signals (SIGINT) and other I/O are delivered between macrotasks; the step's awaits are
      // microtasks on the cpu backend, so give the event loop a turn before checking.
      await nextMacrotask();
      const stop = options.signal?.aborted === true && step < totalSteps;
      if (due || stop) await save(false);
      if (stop) {
        return {
          status: 'interrupted',
          step,
          totalSteps,
          resumed: checkpoint !== null,
          outDir,
          logPath,
          lastEpoch,
        };
      }
    }
    if (diag !== null) {
      applyRates(model, ratesAt(resolved, totalSteps - 1, perEpoch));
      const record = await measure(ctx, outDir, step, true, init);
      log.append(record);
      emit({ type: 'diagnostics', record });
    }
    log.append({ type: 'end', steps: step });
    await save(true);
    return {
      status: 'completed',
      step,
      totalSteps,
      resumed: checkpoint !== null,
      outDir,
      logPath,
      lastEpoch,
    };
  } finally {
    log?.close();
    init?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

function lastEpochOf(records: readonly RunRecord[]): EpochRecord | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as RunRecord;
    if (r.type === 'epoch') return r;
  }
  return null;
}

async function restore(
  ctx: Context,
  optimizer: Optimizer,
  cp: Checkpoint,
  path: string,
): Promise<void> {
  const weights = ctx.model.weights;
  if (cp.weights.length !== weights.length) {
    throw new DropkitError(
      `${path}: ${cp.weights.length} weights, the model has ${weights.length}.`,
    );
  }
  weights.forEach((w, i) => {
    const s = cp.weights[i] as StoredTensor;
    if (s.values.length !== w.shape.reduce((a: number, b) => a * (b ?? 1), 1)) {
      throw new DropkitError(`${path}: weight ${i} (${s.name}) does not match ${w.originalName}.`);
    }
    const t = tensor(s.values, w.shape as number[], s.dtype);
    w.write(t);
    t.dispose();
  });
  const named = cp.optimizer.map((s) => ({
    name: s.name,
    tensor: tensor(s.values, [...s.shape], s.dtype),
  }));
  await optimizer.setWeights(named);
  dispose(named.map((n) => n.tensor));
  for (const key of OPTIMIZER_EXTRAS) {
    const v = (optimizer as unknown as Record<string, Variable | undefined>)[key];
    const saved = cp.optimizerExtras[key];
    if (v !== undefined && saved !== undefined) {
      const t = tensor(saved, [], 'float32');
      v.assign(t);
      t.dispose();
    }
  }
  for (const g of ctx.generators) {
    const state = cp.generators[g.name];
    if (state !== undefined) g.layer.generator = Generator.fromState(state);
  }
}

/**
 * Whether a run directory holds a finished run (its checkpoint says so).
 *
 * @param outDir - a run directory.
 * @returns true when {@link run} has completed there.
 * @example
 * ```ts
 * import { isRunComplete } from '@dropkit/lab';
 * console.log(isRunComplete('/nonexistent/run')); // false
 * ```
 */
export function isRunComplete(outDir: string): boolean {
  const path = join(outDir, CHECKPOINT_FILE);
  return existsSync(path) && readCheckpoint(path)?.complete === true;
}
