import { assertInteger, assertOneOf, DropkitError, InvalidArgumentError } from '@dropkit/core';
import { closeWatermark, openWatermark } from './memoryWatermark.js';
import { type DiagnosticsTarget, type Objective, toObjective } from './objective.js';
import type { Probe } from './probes.js';
import { type DiagnosticsRecord, type MeasurementCost, type Series, seriesOf } from './records.js';

/** Options of {@link createRecorder}. */
export interface RecorderOptions {
  /** What to measure: an {@link Objective} or a compiled tfjs-layers model. */
  readonly target: DiagnosticsTarget;
  /** The measurements, each with a unique name. */
  readonly probes: readonly Probe[];
  /** Measure at steps that are multiples of this, an integer >= 1. Default 1. */
  readonly every?: number;
  /**
   * Node: a JSONL file to append one line per record to (created if missing, never truncated).
   * Each record is one append of one complete line, so an interrupted run loses at most the
   * line being written.
   */
  readonly file?: string;
  /** A custom writer instead of `file`: called once per record with one JSON line (no newline). */
  readonly sink?: (line: string) => void | Promise<void>;
  /** Keep the records in `recorder.records`. Default: true when neither `file` nor `sink` is set. */
  readonly keepInMemory?: boolean;
  /**
   * `throw` (default): a failing probe rejects `step()` (and stops `model.fit`). `record`: its
   * message goes into the record's `errors` and the other probes still run.
   */
  readonly onError?: 'throw' | 'record';
}

/**
 * The hooks of a tfjs-layers fit callback (a `CustomCallbackArgs` object): pass it as
 * `model.fit(x, y, {callbacks: recorder.fitCallback()})`.
 */
export interface FitCallbackHooks {
  onTrainBegin: (logs?: unknown) => Promise<void>;
  onEpochBegin: (epoch: number, logs?: unknown) => Promise<void>;
  onBatchEnd: (batch: number, logs?: unknown) => Promise<void>;
  onTrainEnd: (logs?: unknown) => Promise<void>;
}

type Append = (path: string, data: string) => Promise<void>;

async function loadAppendFile(): Promise<Append> {
  // A computed specifier keeps bundlers targeting browsers from trying to resolve the Node module;
  // it is only loaded when a file is asked for.
  const specifier = ['node:fs', 'promises'].join('/');
  try {
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as {
      appendFile: Append;
    };
    return (path, data) => fs.appendFile(path, data);
  } catch (cause) {
    throw new DropkitError(
      `RecorderOptions.file needs Node's fs module, which could not be loaded here (${String(cause)}); pass a sink or keep the records in memory.`,
    );
  }
}

/**
 * Records diagnostics over training: every `every` steps (or a probe's own period) it runs the
 * due probes at the current weights and appends one record, with each probe's result and cost
 * (milliseconds, sampled peak of extra tensors and bytes), to a JSONL file (Node), a custom sink
 * or an in-memory series (browser). Drive it from a custom loop with `step(i)` or from
 * `model.fit` with `fitCallback()`; dispose it when done (it frees the probes' snapshots).
 */
export class DiagnosticsRecorder {
  /** The records kept in memory (empty unless `keepInMemory`). */
  readonly records: DiagnosticsRecord[] = [];
  /** The objective the probes measure. */
  readonly objective: Objective;
  private readonly probes: readonly Probe[];
  private readonly every: number;
  private readonly keep: boolean;
  private readonly onError: 'throw' | 'record';
  private readonly write: ((line: string) => Promise<void>) | null;
  private pending: Promise<void> = Promise.resolve();
  private fitSteps = 0;
  private fitStarted = false;
  private epoch: number | undefined;
  private disposed = false;

  /** @param options - {@link RecorderOptions}. */
  constructor(options: RecorderOptions) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('options', options, 'a RecorderOptions object');
    }
    this.objective = toObjective(options.target);
    if (!Array.isArray(options.probes) || options.probes.length === 0) {
      throw new InvalidArgumentError('probes', options.probes, 'a non-empty array of probes');
    }
    const names = new Set<string>();
    options.probes.forEach((p, i) => {
      if (
        p === null ||
        typeof p !== 'object' ||
        typeof p.measure !== 'function' ||
        typeof p.name !== 'string' ||
        p.name === ''
      ) {
        throw new InvalidArgumentError(`probes[${i}]`, p, 'a probe {name, measure}');
      }
      if (names.has(p.name))
        throw new InvalidArgumentError(`probes[${i}].name`, p.name, 'a name no other probe has');
      names.add(p.name);
      if (p.every !== undefined) assertInteger(`probes[${i}].every`, p.every, { min: 1 });
    });
    this.probes = [...options.probes];
    this.every = assertInteger('every', options.every ?? 1, { min: 1 });
    this.onError = assertOneOf('onError', options.onError ?? 'throw', ['throw', 'record'] as const);
    if (options.file !== undefined && options.sink !== undefined) {
      throw new InvalidArgumentError('sink', 'both file and sink', 'one of file or sink');
    }
    if (options.file !== undefined) {
      if (typeof options.file !== 'string' || options.file === '') {
        throw new InvalidArgumentError('file', options.file, 'a non-empty path');
      }
      const file = options.file;
      let append: Promise<Append> | null = null;
      this.write = async (line) => {
        append ??= loadAppendFile();
        await (await append)(file, `${line}\n`);
      };
    } else if (options.sink !== undefined) {
      if (typeof options.sink !== 'function')
        throw new InvalidArgumentError('sink', options.sink, 'a function');
      const sink = options.sink;
      this.write = async (line) => {
        await sink(line);
      };
    } else {
      this.write = null;
    }
    this.keep = options.keepInMemory ?? this.write === null;
    for (const p of this.probes) p.start?.(this.objective);
  }

  /**
   * Measures at step `step` if any probe is due (step a multiple of its period), appends the
   * record and resolves with it once written; resolves with null when nothing was due.
   *
   * @param step - the step index, an integer >= 0.
   * @returns the record, or null.
   */
  async step(step: number): Promise<DiagnosticsRecord | null> {
    if (this.disposed) throw new DropkitError('This DiagnosticsRecorder has been disposed.');
    assertInteger('step', step, { min: 0 });
    const due = this.probes.filter((p) => step % (p.every ?? this.every) === 0);
    if (due.length === 0) return null;
    // The write slot is taken now, so lines land in the order step() was called even when a
    // caller does not wait for one step before starting the next.
    let settle: (record: DiagnosticsRecord | null) => void = () => {};
    const measured = new Promise<DiagnosticsRecord | null>((resolve) => {
      settle = resolve;
    });
    const slot = this.pending
      .catch(() => undefined)
      .then(async () => {
        const record = await measured;
        if (record === null) return;
        if (this.keep) this.records.push(record);
        if (this.write !== null) await this.write(JSON.stringify(record));
      });
    this.pending = slot;
    let record: DiagnosticsRecord;
    try {
      record = await this.measure(due, step);
    } catch (err) {
      settle(null);
      throw err;
    }
    settle(record);
    await slot;
    return record;
  }

  private async measure(due: readonly Probe[], step: number): Promise<DiagnosticsRecord> {
    const values: Record<string, unknown> = {};
    const costs: Record<string, MeasurementCost> = {};
    const errors: Record<string, string> = {};
    for (const probe of due) {
      const mark = openWatermark();
      const start = performance.now();
      try {
        values[probe.name] = await probe.measure(this.objective, step);
      } catch (err) {
        closeWatermark(mark);
        if (this.onError === 'throw') throw err;
        errors[probe.name] = err instanceof Error ? err.message : String(err);
        continue;
      }
      const ms = performance.now() - start;
      costs[probe.name] = { ms, ...closeWatermark(mark) };
    }
    return {
      step,
      ...(this.epoch !== undefined ? { epoch: this.epoch } : {}),
      time: Date.now(),
      values,
      costs,
      ...(Object.keys(errors).length > 0 ? { errors } : {}),
    };
  }

  /**
   * Hooks for `model.fit`: measures at step 0 when training first begins, then after every batch
   * with the number of optimizer steps taken so far (counted across fit calls), and waits for
   * the writes when training ends.
   *
   * @returns the callback object.
   */
  fitCallback(): FitCallbackHooks {
    return {
      onTrainBegin: async () => {
        if (this.fitStarted) return;
        this.fitStarted = true;
        await this.step(0);
      },
      onEpochBegin: async (epoch) => {
        this.epoch = epoch;
      },
      onBatchEnd: async () => {
        this.fitSteps++;
        await this.step(this.fitSteps);
      },
      onTrainEnd: async () => {
        await this.flush();
      },
    };
  }

  /**
   * One quantity of the in-memory records as a time series ({@link seriesOf}).
   *
   * @param path - a dotted path into the values, e.g. `gradientDirection.gdv`.
   * @returns `{steps, values}`.
   */
  series(path: string | readonly string[]): Series {
    return seriesOf(this.records, path);
  }

  /** Resolves once every pending write is done (a failed write has already rejected its step). */
  async flush(): Promise<void> {
    await this.pending.catch(() => undefined);
  }

  /** Frees what the probes hold (the init snapshot); the recorder cannot measure afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.probes) p.dispose?.();
  }
}

/**
 * Creates a {@link DiagnosticsRecorder}. Probes with a `start` (the distance probe's W_0
 * snapshot) run it now, so create the recorder before training.
 *
 * @param options - {@link RecorderOptions}.
 * @returns the recorder.
 * @throws InvalidArgumentError for bad options (no probes, duplicate names, both file and sink).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { createRecorder, distanceFromInitProbe, gradientNormProbe } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.tensor1d([3, 4]));
 * const objective = { params: [w], loss: () => tf.mul(0.5, tf.sum(tf.square(w))) };
 * const data = { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) };
 * const recorder = createRecorder({
 *   target: objective,
 *   probes: [gradientNormProbe({ data }), distanceFromInitProbe()],
 *   every: 2,
 * });
 * for (let step = 0; step < 4; step++) {
 *   await recorder.step(step);
 *   w.assign(tf.mul(w, 0.5)); // a training step
 * }
 * console.log(recorder.series('gradientNorm.total')); // { steps: [ 0, 2 ], values: [ 5, 1.25 ] }
 * console.log(recorder.series('distanceFromInit.total').values); // [ 0, 3.75 ]
 * recorder.dispose();
 * ```
 */
export function createRecorder(options: RecorderOptions): DiagnosticsRecorder {
  return new DiagnosticsRecorder(options);
}
