import { assertInteger, assertOneOf, assertRate, InvalidArgumentError } from '@dropkit/core';

/**
 * When dropout is on:
 * - `standard`: the rate throughout (after an optional warm-up);
 * - `early`: the rate until the cutoff, then 0 ("Dropout Reduces Underfitting");
 * - `late`: 0 until the cutoff, then the rate (constant only, as in the official code);
 * - `ramp`: rising from 0 to the rate by the cutoff, then the rate (the DropBlock / ProbDropBlock
 *   training ramp).
 */
export type ScheduleMode = 'standard' | 'early' | 'late' | 'ramp';

/** How the rate moves between its ends: held, a straight line, a half cosine, or equal stairs. */
export type ScheduleShape = 'constant' | 'linear' | 'cosine' | 'step';

/** The unit of a {@link Duration}. */
export type DurationUnit = 'epoch' | 'step';

/** A length of training, in epochs or in optimizer steps. */
export interface Duration {
  /** A non-negative integer. */
  readonly value: number;
  readonly unit: DurationUnit;
}

/**
 * A dropout schedule: a pure, JSON-serializable value that gives one rate per optimizer step
 * (see {@link rateAt}).
 */
export interface Schedule {
  readonly mode: ScheduleMode;
  /** The peak rate p, in [0, 1). */
  readonly rate: number;
  readonly shape: ScheduleShape;
  /** Where the schedule switches (early, late, ramp). */
  readonly cutoff?: Duration;
  /** A linear ramp from 0 to the rate where dropout switches on (standard, late). */
  readonly warmup?: Duration;
  /** The number of stairs of the `step` shape. */
  readonly stages?: number;
}

/** The modes a schedule may have. */
export const SCHEDULE_MODES: readonly ScheduleMode[] = ['standard', 'early', 'late', 'ramp'];
/** The shapes a schedule may have. */
export const SCHEDULE_SHAPES: readonly ScheduleShape[] = ['constant', 'linear', 'cosine', 'step'];

/** The shapes each mode accepts; the first is its default. */
export const SHAPES_BY_MODE: Readonly<Record<ScheduleMode, readonly ScheduleShape[]>> = {
  standard: ['constant'],
  early: ['constant', 'linear', 'cosine', 'step'],
  late: ['constant'],
  ramp: ['linear', 'cosine'],
};

/**
 * A duration in epochs.
 *
 * @param value - a non-negative integer number of epochs.
 * @returns the duration.
 * @example
 * ```ts
 * import { epochs } from '@dropkit/schedules';
 * console.log(epochs(50)); // { value: 50, unit: 'epoch' }
 * ```
 */
export function epochs(value: number): Duration {
  return { value: assertInteger('epochs', value, { min: 0 }), unit: 'epoch' };
}

/**
 * A duration in optimizer steps.
 *
 * @param value - a non-negative integer number of steps.
 * @returns the duration.
 * @example
 * ```ts
 * import { steps } from '@dropkit/schedules';
 * console.log(steps(1000)); // { value: 1000, unit: 'step' }
 * ```
 */
export function steps(value: number): Duration {
  return { value: assertInteger('steps', value, { min: 0 }), unit: 'step' };
}

/** Options of {@link standardSchedule}. */
export interface StandardOptions {
  /** Ramp the rate up from 0 over this long at the start. */
  readonly warmup?: Duration;
}

/**
 * Standard dropout: a constant rate from the first step.
 *
 * @param rate - the dropout rate, in [0, 1).
 * @param options - {@link StandardOptions}.
 * @returns the schedule.
 * @example
 * ```ts
 * import { rateAt, standardSchedule } from '@dropkit/schedules';
 * console.log(rateAt(standardSchedule(0.1), 123)); // 0.1
 * ```
 */
export function standardSchedule(rate: number, options: StandardOptions = {}): Schedule {
  return validateSchedule({ mode: 'standard', rate, shape: 'constant', ...options });
}

/** Options of {@link earlySchedule}. */
export interface EarlyOptions {
  /** Where dropout turns off. */
  readonly cutoff: Duration;
  /** How the rate falls to 0 before the cutoff. Default `constant`. */
  readonly shape?: ScheduleShape;
  /** The number of stairs of the `step` shape. Default 4. */
  readonly stages?: number;
}

/**
 * Early dropout: the rate until the cutoff, then 0. With the `linear` shape the rate over the
 * first `cutoff` steps is linspace(p, 0, cutoffSteps), 0 included, as in the official code.
 *
 * @param rate - the initial dropout rate, in [0, 1).
 * @param options - {@link EarlyOptions}.
 * @returns the schedule.
 * @example
 * ```ts
 * import { earlySchedule, steps, toArray } from '@dropkit/schedules';
 * const s = earlySchedule(0.1, { cutoff: steps(3), shape: 'linear' });
 * console.log(toArray(s, 5)); // [ 0.1, 0.05, 0, 0, 0 ]
 * ```
 */
export function earlySchedule(rate: number, options: EarlyOptions): Schedule {
  const shape = options.shape ?? 'constant';
  const stages = shape === 'step' ? (options.stages ?? 4) : options.stages;
  return validateSchedule({
    mode: 'early',
    rate,
    shape,
    cutoff: options.cutoff,
    ...(stages === undefined ? {} : { stages }),
  });
}

/** Options of {@link lateSchedule}. */
export interface LateOptions {
  /** Where dropout turns on. */
  readonly cutoff: Duration;
  /** Ramp the rate up from 0 over this long after the cutoff (not in the official code). */
  readonly warmup?: Duration;
}

/**
 * Late dropout: 0 until the cutoff, then the rate. Constant only, as in the official code.
 *
 * @param rate - the dropout rate after the cutoff, in [0, 1).
 * @param options - {@link LateOptions}.
 * @returns the schedule.
 * @example
 * ```ts
 * import { lateSchedule, steps, toArray } from '@dropkit/schedules';
 * console.log(toArray(lateSchedule(0.4, { cutoff: steps(2) }), 4)); // [ 0, 0, 0.4, 0.4 ]
 * ```
 */
export function lateSchedule(rate: number, options: LateOptions): Schedule {
  return validateSchedule({ mode: 'late', rate, shape: 'constant', ...options });
}

/** Options of {@link rampSchedule}. */
export interface RampOptions {
  /** Where the rate reaches its target. */
  readonly cutoff: Duration;
  /** `linear` (default, the DropBlock paper's ramp) or `cosine`. */
  readonly shape?: 'linear' | 'cosine';
}

/**
 * A ramp: the rate rises from 0 to its target over the first `cutoff` steps (linspace(0, p,
 * cutoffSteps), both ends included), then holds. This is how DropBlock and ProbDropBlock are
 * trained.
 *
 * @param rate - the target rate, in [0, 1).
 * @param options - {@link RampOptions}.
 * @returns the schedule.
 * @example
 * ```ts
 * import { rampSchedule, steps, toArray } from '@dropkit/schedules';
 * console.log(toArray(rampSchedule(0.2, { cutoff: steps(3) }), 4)); // [ 0, 0.1, 0.2, 0.2 ]
 * ```
 */
export function rampSchedule(rate: number, options: RampOptions): Schedule {
  return validateSchedule({
    mode: 'ramp',
    rate,
    shape: options.shape ?? 'linear',
    cutoff: options.cutoff,
  });
}

function validateDuration(name: string, value: unknown): Duration {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError(
      name,
      value,
      'a duration such as {"value": 50, "unit": "epoch"}',
    );
  }
  const d = value as Record<string, unknown>;
  const unit = assertOneOf(`${name}.unit`, d.unit, ['epoch', 'step'] as const);
  const v = assertInteger(`${name}.value`, d.value, { min: 0 });
  return { value: v, unit };
}

/**
 * Checks a schedule (for example one read from JSON) and returns a clean copy.
 *
 * @param value - anything that should be a {@link Schedule}.
 * @returns the schedule, with only the fields it defines.
 * @throws InvalidArgumentError naming the first field that is wrong, the value and what is
 *   allowed: a rate outside [0, 1) or NaN, an unknown mode or shape, a shape the mode does not
 *   take (late is constant only), a missing or negative or fractional cutoff.
 * @example
 * ```ts
 * import { validateSchedule } from '@dropkit/schedules';
 * const s = validateSchedule({ mode: 'standard', rate: 0.1, shape: 'constant' });
 * console.log(s.rate); // 0.1
 * ```
 */
export function validateSchedule(value: unknown): Schedule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('schedule', value, 'a schedule object');
  }
  const s = value as Record<string, unknown>;
  const mode = assertOneOf('schedule.mode', s.mode, SCHEDULE_MODES);
  const rate = assertRate('schedule.rate', s.rate);
  const allowedShapes = SHAPES_BY_MODE[mode];
  const shape = s.shape === undefined ? allowedShapes[0] : s.shape;
  if (typeof shape !== 'string' || !(allowedShapes as readonly string[]).includes(shape)) {
    throw new InvalidArgumentError(
      'schedule.shape',
      shape,
      `for mode "${mode}", one of ${allowedShapes.map((x) => `"${x}"`).join(', ')}`,
    );
  }
  const out: { -readonly [K in keyof Schedule]: Schedule[K] } = {
    mode,
    rate,
    shape: shape as ScheduleShape,
  };
  if (mode === 'standard') {
    if (s.cutoff !== undefined) {
      throw new InvalidArgumentError('schedule.cutoff', s.cutoff, 'no cutoff for mode "standard"');
    }
  } else {
    if (s.cutoff === undefined) {
      throw new InvalidArgumentError('schedule.cutoff', undefined, `a cutoff for mode "${mode}"`);
    }
    out.cutoff = validateDuration('schedule.cutoff', s.cutoff);
  }
  if (s.warmup !== undefined) {
    if (mode !== 'standard' && mode !== 'late') {
      throw new InvalidArgumentError(
        'schedule.warmup',
        s.warmup,
        `no warm-up for mode "${mode}" (only "standard" and "late" switch dropout on)`,
      );
    }
    out.warmup = validateDuration('schedule.warmup', s.warmup);
  }
  if (out.shape === 'step') {
    out.stages = assertInteger('schedule.stages', s.stages ?? 4, { min: 1 });
  } else if (s.stages !== undefined) {
    throw new InvalidArgumentError('schedule.stages', s.stages, 'no stages unless shape is "step"');
  }
  return out;
}

/**
 * Reads a schedule back from its JSON text or parsed JSON value, validating every field.
 *
 * @param json - a JSON string or an already parsed value.
 * @returns the schedule.
 * @example
 * ```ts
 * import { earlySchedule, epochs, scheduleFromJSON } from '@dropkit/schedules';
 * const s = earlySchedule(0.1, { cutoff: epochs(50), shape: 'linear' });
 * const back = scheduleFromJSON(JSON.stringify(s));
 * console.log(back.cutoff); // { value: 50, unit: 'epoch' }
 * ```
 */
export function scheduleFromJSON(json: string | unknown): Schedule {
  if (typeof json === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new InvalidArgumentError('json', json, 'JSON text of a schedule');
    }
    return validateSchedule(parsed);
  }
  return validateSchedule(json);
}
