/**
 * The base class of every error dropkit throws on purpose, so callers can tell ours from others.
 *
 * @example
 * ```ts
 * import { DropkitError, InvalidArgumentError } from '@dropkit/core';
 * const err = new InvalidArgumentError('rate', 2, 'a number in [0, 1)');
 * console.log(err instanceof DropkitError); // true
 * ```
 */
export class DropkitError extends Error {
  /** @param message - what went wrong, for a person to read. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Thrown when an argument is out of its allowed domain; the message names the parameter, the value
 * received and what is allowed.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError } from '@dropkit/core';
 * const err = new InvalidArgumentError('rate', 1.5, 'a number in [0, 1)');
 * console.log(err.message); // Invalid rate: received 1.5; expected a number in [0, 1).
 * ```
 */
export class InvalidArgumentError extends DropkitError {
  /** The name of the offending parameter or field, e.g. `rate` or `schedule.cutoff`. */
  readonly parameter: string;
  /** The value that was received. */
  readonly value: unknown;
  /** What would have been accepted, in words. */
  readonly allowed: string;

  /**
   * @param parameter - the name of the offending parameter or field.
   * @param value - the value received.
   * @param allowed - what is allowed, in words, e.g. `an integer >= 1`.
   */
  constructor(parameter: string, value: unknown, allowed: string) {
    super(`Invalid ${parameter}: received ${describeValue(value)}; expected ${allowed}.`);
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
  }
}

/**
 * Renders a value for an error message: strings quoted, arrays and plain objects as JSON, numbers
 * as written (NaN and Infinity included).
 *
 * @param value - any value.
 * @returns a short human-readable rendering.
 * @example
 * ```ts
 * import { describeValue } from '@dropkit/core';
 * console.log(describeValue('x'), describeValue([1, 2]), describeValue(Number.NaN)); // "x" [1,2] NaN
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    // Cyclic structures fall through to the type name.
  }
  return Object.prototype.toString.call(value);
}

/**
 * A tfjs backend cannot run in this process: its package is missing, its native library or GPU
 * adapter does not load. The message says what failed and what to install.
 *
 * @example
 * ```ts
 * import { BackendUnavailableError } from '@dropkit/core';
 * const e = new BackendUnavailableError('webgpu', 'no adapter', 'Install Mesa lavapipe.');
 * console.log(e.message); // The webgpu backend is unavailable: no adapter. Install Mesa lavapipe.
 * ```
 */
export class BackendUnavailableError extends DropkitError {
  /** The backend that could not be set up, e.g. `node-gpu`. */
  readonly backend: string;
  /** What failed, in words. */
  readonly reason: string;
  /** What to install or set to make it work. */
  readonly remedy: string;

  /**
   * @param backend - the backend that could not be set up.
   * @param reason - what failed.
   * @param remedy - what to install or set.
   * @param options - `cause`: the underlying error.
   */
  constructor(backend: string, reason: string, remedy: string, options?: { cause?: unknown }) {
    super(`The ${backend} backend is unavailable: ${reason}. ${remedy}`);
    if (options?.cause !== undefined) this.cause = options.cause;
    this.backend = backend;
    this.reason = reason;
    this.remedy = remedy;
  }
}
