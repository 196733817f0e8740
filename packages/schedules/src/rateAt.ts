import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import type { Duration, Schedule } from './schedule.js';

/** What turns epochs into steps and bounds the schedule. */
export interface TrainingLength {
  /** Optimizer steps per epoch (see `stepsPerEpoch`); needed when a duration is in epochs. */
  readonly stepsPerEpoch?: number;
  /** The total number of optimizer steps; a cutoff beyond it is an error. */
  readonly totalSteps?: number;
}

/** A schedule with its durations turned into steps. */
interface ResolvedSchedule {
  readonly schedule: Schedule;
  readonly cutoffSteps: number;
  readonly warmupSteps: number;
}

function toSteps(name: string, d: Duration | undefined, length: TrainingLength): number {
  if (d === undefined) return 0;
  if (d.unit === 'step') return d.value;
  if (length.stepsPerEpoch === undefined) {
    throw new InvalidArgumentError(
      'stepsPerEpoch',
      undefined,
      `a positive integer, because ${name} is given in epochs (${d.value}ep)`,
    );
  }
  const perEpoch = assertInteger('stepsPerEpoch', length.stepsPerEpoch, { min: 1 });
  return d.value * perEpoch;
}

function resolve(schedule: Schedule, length: TrainingLength): ResolvedSchedule {
  const cutoffSteps = toSteps('schedule.cutoff', schedule.cutoff, length);
  const warmupSteps = toSteps('schedule.warmup', schedule.warmup, length);
  if (length.totalSteps !== undefined) {
    const total = assertInteger('totalSteps', length.totalSteps, { min: 0 });
    if (cutoffSteps > total) {
      throw new InvalidArgumentError(
        'schedule.cutoff',
        schedule.cutoff,
        `a cutoff within the training length (${cutoffSteps} steps > totalSteps ${total})`,
      );
    }
    if (cutoffSteps + warmupSteps > total) {
      throw new InvalidArgumentError(
        'schedule.warmup',
        schedule.warmup,
        `a warm-up that ends within the training length (${cutoffSteps + warmupSteps} steps > totalSteps ${total})`,
      );
    }
  }
  return { schedule, cutoffSteps, warmupSteps };
}

/** Element i of linspace(start, stop, num), computed as numpy does (the last one exactly `stop`). */
function linspaceAt(start: number, stop: number, num: number, i: number): number {
  if (num === 1) return start;
  if (i === num - 1) return stop;
  return i * ((stop - start) / (num - 1)) + start;
}

/** Element i of a half cosine from `start` to `stop` over `num` points, both ends included. */
function cosineAt(start: number, stop: number, num: number, i: number): number {
  if (num === 1) return start;
  if (i === num - 1) return stop;
  const t = i / (num - 1);
  return stop + (start - stop) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** A linear warm-up from 0 that reaches `rate` after `w` steps. */
function warm(rate: number, w: number, sinceOn: number): number {
  return sinceOn < w ? (rate * sinceOn) / w : rate;
}

function resolvedRateAt(r: ResolvedSchedule, step: number): number {
  const { schedule: s, cutoffSteps: c, warmupSteps: w } = r;
  const p = s.rate;
  switch (s.mode) {
    case 'standard':
      return warm(p, w, step);
    case 'late':
      return step < c ? 0 : warm(p, w, step - c);
    case 'ramp':
      if (step >= c) return p;
      return s.shape === 'cosine' ? cosineAt(0, p, c, step) : linspaceAt(0, p, c, step);
    case 'early': {
      if (step >= c) return 0;
      switch (s.shape) {
        case 'linear':
          return linspaceAt(p, 0, c, step);
        case 'cosine':
          return cosineAt(p, 0, c, step);
        case 'step': {
          const k = s.stages ?? 4;
          return p * (1 - Math.floor((k * step) / c) / k);
        }
        default:
          return p;
      }
    }
  }
}

/**
 * The dropout rate a schedule gives at one optimizer step (0-based).
 *
 * @param schedule - the schedule.
 * @param step - a non-negative integer step index.
 * @param length - {@link TrainingLength}: steps per epoch when durations are in epochs, and the
 *   total length to check the cutoff and the step against.
 * @returns the rate at that step.
 * @throws InvalidArgumentError for a negative or fractional step, a step at or beyond
 *   `totalSteps`, a cutoff beyond the training length, or epochs without `stepsPerEpoch`.
 * @example
 * ```ts
 * import { earlySchedule, epochs, rateAt } from '@dropkit/schedules';
 * const s = earlySchedule(0.1, { cutoff: epochs(2) });
 * console.log(rateAt(s, 19, { stepsPerEpoch: 10 }), rateAt(s, 20, { stepsPerEpoch: 10 })); // 0.1 0
 * ```
 */
export function rateAt(schedule: Schedule, step: number, length: TrainingLength = {}): number {
  assertInteger('step', step, { min: 0 });
  if (length.totalSteps !== undefined && step >= length.totalSteps) {
    throw new InvalidArgumentError(
      'step',
      step,
      `an integer in [0, totalSteps - 1 = ${length.totalSteps - 1}]`,
    );
  }
  return resolvedRateAt(resolve(schedule, length), step);
}

/**
 * The rate at every step of a training run: one value per optimizer step, as the official code's
 * schedule array.
 *
 * @param schedule - the schedule.
 * @param totalSteps - the training length in optimizer steps (epochs * stepsPerEpoch).
 * @param length - steps per epoch, needed when a duration is in epochs.
 * @returns an array of `totalSteps` rates.
 * @throws InvalidArgumentError as {@link rateAt} does, and for a cutoff beyond `totalSteps`.
 * @example
 * ```ts
 * import { earlySchedule, epochs, toArray } from '@dropkit/schedules';
 * const s = earlySchedule(0.3, { cutoff: epochs(1) });
 * console.log(toArray(s, 4, { stepsPerEpoch: 2 })); // [ 0.3, 0.3, 0, 0 ]
 * ```
 */
export function toArray(
  schedule: Schedule,
  totalSteps: number,
  length: Omit<TrainingLength, 'totalSteps'> = {},
): number[] {
  const total = assertInteger('totalSteps', totalSteps, { min: 0 });
  const r = resolve(schedule, { ...length, totalSteps: total });
  const out = new Array<number>(total);
  for (let i = 0; i < total; i++) out[i] = resolvedRateAt(r, i);
  return out;
}

/**
 * The schedule's cutoff and warm-up in steps, for display.
 *
 * @param schedule - the schedule.
 * @param length - steps per epoch, needed when a duration is in epochs.
 * @returns the cutoff and warm-up, each in optimizer steps (0 where the schedule has none).
 * @example
 * ```ts
 * import { epochs, lateSchedule, scheduleSteps } from '@dropkit/schedules';
 * console.log(scheduleSteps(lateSchedule(0.2, { cutoff: epochs(3) }), { stepsPerEpoch: 100 })); // { cutoffSteps: 300, warmupSteps: 0 }
 * ```
 */
export function scheduleSteps(
  schedule: Schedule,
  length: Omit<TrainingLength, 'totalSteps'> = {},
): { cutoffSteps: number; warmupSteps: number } {
  const { cutoffSteps, warmupSteps } = resolve(schedule, length);
  return { cutoffSteps, warmupSteps };
}
