import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import { rateAt, type Schedule, validateSchedule } from '@dropkit/schedules';
import { Callback } from '@tensorflow/tfjs-layers';
import { applyRates, type LayerTree } from './applyRates.js';

/** Options of {@link DropoutScheduler}. */
export interface DropoutSchedulerOptions {
  /** The schedule of every `dropout` site (from `@dropkit/schedules`). */
  readonly dropout?: Schedule;
  /** The schedule of the deepest `dropPath` site; the others follow linspace(0, rate, depth). */
  readonly dropPath?: Schedule;
  /**
   * Optimizer steps per epoch, to resolve durations given in epochs. Default: what `fit` reports,
   * ceil(samples / batchSize) for tensors (tfjs trains on the partial last batch too), or
   * `batchesPerEpoch` / the dataset's size for `fitDataset`.
   */
  readonly stepsPerEpoch?: number;
  /** The global step of the first batch, to resume a run. Default 0. */
  readonly initialStep?: number;
  /** Called with the rates set before every batch, after they are applied; a promise is awaited. */
  readonly onRates?: (rates: ScheduledRates) => unknown;
}

/** The rates a {@link DropoutScheduler} set for one step. */
export interface ScheduledRates {
  /** The global optimizer step (0-based). */
  readonly step: number;
  /** The scheduled dropout rate, given to every `dropout` site. */
  readonly dropout?: number;
  /** The scheduled drop-path rate (that of the deepest `dropPath` site). */
  readonly dropPath?: number;
  /** The rate given to each `dropPath` site, in model layer order. */
  readonly dropPathRates?: readonly number[];
}

/**
 * The batch and epoch log keys a {@link DropoutScheduler} writes its rates under.
 *
 * @example
 * ```ts
 * import { RATE_LOG_KEYS } from '@dropkit/layers';
 * console.log(RATE_LOG_KEYS.dropout, RATE_LOG_KEYS.dropPath); // dropoutRate dropPathRate
 * ```
 */
export const RATE_LOG_KEYS = { dropout: 'dropoutRate', dropPath: 'dropPathRate' } as const;

type Logs = Parameters<Callback['onBatchBegin']>[1];

/**
 * A tfjs-layers callback that schedules dropout during `model.fit` and `model.fitDataset`, as
 * the official early / late dropout code does: before every batch it takes the rates the
 * schedules give for the global step and sets them with `applyRates` (every `dropout` site at the
 * dropout rate; the `dropPath` sites at linspace(0, rate, depth)). The rates go into the batch's
 * logs (`dropoutRate`, `dropPathRate`), into the epoch's logs (the last step's, so `History`
 * records them) and to `onRates`. The global step counts every batch this callback has seen,
 * across `fit` calls; set `step` to move it. Pass it first, or alone, in `callbacks`:
 * tfjs-layers only keeps a callback list as it is when its first entry is a callback object.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { DropoutScheduler, dropout } from '@dropkit/layers';
 * import { earlySchedule, steps } from '@dropkit/schedules';
 * const model = tfl.sequential({
 *   layers: [tfl.layers.dense({ units: 4, inputShape: [2] }), dropout({ rate: 0 }), tfl.layers.dense({ units: 1 })],
 * });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const seen: number[] = [];
 * const scheduler = new DropoutScheduler({
 *   dropout: earlySchedule(0.3, { cutoff: steps(2), shape: 'linear' }),
 *   onRates: (r) => { seen.push(r.dropout ?? -1); },
 * });
 * await model.fit(tf.ones([8, 2]), tf.ones([8, 1]), { batchSize: 2, epochs: 1, verbose: 0, callbacks: [scheduler] });
 * console.log(seen); // [ 0.3, 0, 0, 0 ]
 * ```
 */
export class DropoutScheduler extends Callback {
  /** The schedule of the `dropout` sites, if any. */
  readonly dropout: Schedule | undefined;
  /** The schedule of the `dropPath` sites, if any. */
  readonly dropPath: Schedule | undefined;
  /** The rates set at the last step, if any. */
  last: ScheduledRates | undefined;
  readonly #explicitStepsPerEpoch: number | undefined;
  #stepsPerEpoch: number | undefined;
  #step: number;
  readonly #onRates: DropoutSchedulerOptions['onRates'];

  /**
   * @param options - {@link DropoutSchedulerOptions}; at least one schedule.
   * @throws InvalidArgumentError for no schedule, an invalid schedule, or a steps per epoch or
   *   initial step that is not an integer in range.
   */
  constructor(options: DropoutSchedulerOptions) {
    super();
    if (options?.dropout === undefined && options?.dropPath === undefined) {
      throw new InvalidArgumentError(
        'options',
        options,
        'an object with a `dropout` schedule, a `dropPath` schedule or both',
      );
    }
    this.dropout = options.dropout === undefined ? undefined : validateSchedule(options.dropout);
    this.dropPath = options.dropPath === undefined ? undefined : validateSchedule(options.dropPath);
    this.#explicitStepsPerEpoch =
      options.stepsPerEpoch === undefined
        ? undefined
        : assertInteger('stepsPerEpoch', options.stepsPerEpoch, { min: 1 });
    this.#stepsPerEpoch = this.#explicitStepsPerEpoch;
    this.#step = assertInteger('initialStep', options.initialStep ?? 0, { min: 0 });
    this.#onRates = options.onRates;
    this.last = undefined;
  }

  /** The global step the next batch will run at. */
  get step(): number {
    return this.#step;
  }

  /** @throws InvalidArgumentError for a value that is not a non-negative integer. */
  set step(value: number) {
    this.#step = assertInteger('step', value, { min: 0 });
  }

  /** Steps per epoch used for durations in epochs: the option, or what the last `fit` reported. */
  get stepsPerEpoch(): number | undefined {
    return this.#stepsPerEpoch;
  }

  /**
   * The scheduled rates at a step, without touching any model.
   *
   * @param step - a global optimizer step, a non-negative integer.
   * @returns the dropout and drop-path rates (only those with a schedule).
   * @throws InvalidArgumentError for a bad step, or a schedule in epochs with no steps per epoch.
   * @example
   * ```ts
   * import { DropoutScheduler } from '@dropkit/layers';
   * import { epochs, lateSchedule } from '@dropkit/schedules';
   * const s = new DropoutScheduler({ dropout: lateSchedule(0.4, { cutoff: epochs(1) }), stepsPerEpoch: 10 });
   * console.log(s.ratesAt(9), s.ratesAt(10)); // { dropout: 0 } { dropout: 0.4 }
   * ```
   */
  ratesAt(step: number): { dropout?: number; dropPath?: number } {
    const length = this.#stepsPerEpoch === undefined ? {} : { stepsPerEpoch: this.#stepsPerEpoch };
    return {
      ...(this.dropout ? { dropout: rateAt(this.dropout, step, length) } : {}),
      ...(this.dropPath ? { dropPath: rateAt(this.dropPath, step, length) } : {}),
    };
  }

  /**
   * Sets a model's rates to the schedules' values at a step (for custom training loops).
   *
   * @param model - the model, a layer or a list of them.
   * @param step - a global optimizer step.
   * @returns the rates set.
   * @example
   * ```ts
   * import * as tfl from '@tensorflow/tfjs-layers';
   * import { DropoutScheduler, dropPath } from '@dropkit/layers';
   * import { standardSchedule } from '@dropkit/schedules';
   * const model = tfl.sequential({ layers: [dropPath({ rate: 0, inputShape: [2] }), dropPath({ rate: 0 })] });
   * const s = new DropoutScheduler({ dropPath: standardSchedule(0.2) });
   * console.log(s.applyAt(model, 0).dropPathRates); // [ 0, 0.2 ]
   * ```
   */
  applyAt(model: LayerTree, step: number): ScheduledRates {
    const scheduled = this.ratesAt(step);
    const applied = applyRates(model, scheduled);
    this.last = {
      step,
      ...scheduled,
      ...(applied.dropPath === undefined ? {} : { dropPathRates: applied.dropPath }),
    };
    return this.last;
  }

  /**
   * Applies the rates of the current global step to a model and moves to the next step: what the
   * callback does before every batch, for custom training loops.
   *
   * @param model - the model, a layer or a list of them.
   * @returns the rates set.
   * @example
   * ```ts
   * import * as tfl from '@tensorflow/tfjs-layers';
   * import { DropoutScheduler, dropout } from '@dropkit/layers';
   * import { rampSchedule, steps } from '@dropkit/schedules';
   * const model = tfl.sequential({ layers: [dropout({ rate: 0, inputShape: [2] })] });
   * const s = new DropoutScheduler({ dropout: rampSchedule(0.2, { cutoff: steps(3) }) });
   * console.log([0, 1, 2].map(() => s.advance(model).dropout)); // [ 0, 0.1, 0.2 ]
   * ```
   */
  advance(model: LayerTree): ScheduledRates {
    const rates = this.applyAt(model, this.#step);
    this.#step += 1;
    return rates;
  }

  override async onTrainBegin(): Promise<void> {
    if (this.#explicitStepsPerEpoch !== undefined) return;
    const { steps, samples, batchSize } = this.params ?? {};
    if (typeof steps === 'number' && steps > 0) this.#stepsPerEpoch = steps;
    else if (typeof samples === 'number' && typeof batchSize === 'number' && batchSize > 0) {
      this.#stepsPerEpoch = Math.ceil(samples / batchSize);
    }
  }

  override async onBatchBegin(_batch: number, logs?: Logs): Promise<void> {
    const rates = this.advance(this.model);
    if (logs) writeRates(logs, rates);
    await this.#onRates?.(rates);
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs && this.last) writeRates(logs, this.last);
  }
}

function writeRates(logs: NonNullable<Logs>, rates: ScheduledRates): void {
  if (rates.dropout !== undefined) logs[RATE_LOG_KEYS.dropout] = rates.dropout;
  if (rates.dropPath !== undefined) logs[RATE_LOG_KEYS.dropPath] = rates.dropPath;
}
