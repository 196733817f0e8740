import { InvalidArgumentError } from './errors.js';

/** Options of {@link assertRate}. */
export interface RateOptions {
  /** Accept exactly 1 as well (only where the reference semantics define it). Default false. */
  readonly allowOne?: boolean;
}

/**
 * Checks that `value` is a finite number in [0, 1) (or [0, 1] with `allowOne`).
 *
 * @param name - the parameter name used in the error message.
 * @param value - the value to check.
 * @param options - {@link RateOptions}.
 * @returns the value, typed as a number.
 * @throws InvalidArgumentError when the value is not a number in range, NaN or infinite.
 * @example
 * ```ts
 * import { assertRate } from '@dropkit/core';
 * const p = assertRate('rate', 0.1); // 0.1
 * ```
 */
export function assertRate(name: string, value: unknown, options: RateOptions = {}): number {
  const allowOne = options.allowOne ?? false;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    (allowOne ? value <= 1 : value < 1);
  if (!ok) throw new InvalidArgumentError(name, value, `a number in [0, 1${allowOne ? ']' : ')'}`);
  return value as number;
}

/** Options of {@link assertInteger}. */
export interface IntegerOptions {
  /** Smallest allowed value, inclusive. */
  readonly min?: number;
  /** Largest allowed value, inclusive. */
  readonly max?: number;
}

/**
 * Checks that `value` is a safe integer within optional bounds.
 *
 * @param name - the parameter name used in the error message.
 * @param value - the value to check.
 * @param options - {@link IntegerOptions}.
 * @returns the value, typed as a number.
 * @throws InvalidArgumentError when the value is not an integer in range.
 * @example
 * ```ts
 * import { assertInteger } from '@dropkit/core';
 * const depth = assertInteger('depth', 12, { min: 1 }); // 12
 * ```
 */
export function assertInteger(name: string, value: unknown, options: IntegerOptions = {}): number {
  const { min, max } = options;
  const ok =
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max);
  if (!ok) throw new InvalidArgumentError(name, value, describeIntegerRange(min, max));
  return value as number;
}

function describeIntegerRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `an integer in [${min}, ${max}]`;
  if (min !== undefined) return `an integer >= ${min}`;
  if (max !== undefined) return `an integer <= ${max}`;
  return 'an integer';
}

/**
 * Checks that `value` is a finite number.
 *
 * @param name - the parameter name used in the error message.
 * @param value - the value to check.
 * @returns the value, typed as a number.
 * @throws InvalidArgumentError when the value is not a finite number.
 * @example
 * ```ts
 * import { assertFinite } from '@dropkit/core';
 * const alpha = assertFinite('alpha', 1.5); // 1.5
 * ```
 */
export function assertFinite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, value, 'a finite number');
  }
  return value;
}

/**
 * Checks that `value` is one of a fixed set of strings.
 *
 * @param name - the parameter name used in the error message.
 * @param value - the value to check.
 * @param allowed - the accepted values.
 * @returns the value, narrowed to the union of `allowed`.
 * @throws InvalidArgumentError when the value is not in the set.
 * @example
 * ```ts
 * import { assertOneOf } from '@dropkit/core';
 * const mode = assertOneOf('mode', 'row', ['row', 'batch'] as const); // 'row'
 * ```
 */
export function assertOneOf<const T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      name,
      value,
      `one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  return value as T;
}
