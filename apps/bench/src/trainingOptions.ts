import { InvalidArgumentError } from '@dropkit/core';

/**
 * Parses an integer option of the training benchmarks.
 *
 * @param option - the option as typed, e.g. `--runs`, for the error.
 * @param text - its value; undefined gives `fallback`.
 * @param fallback - the default.
 * @param min - the smallest value allowed.
 * @param allowed - what is allowed, in words, for the error.
 * @throws InvalidArgumentError naming the option for anything but a decimal integer >= min.
 */
export function integerOption(
  option: string,
  text: string | undefined,
  fallback: number,
  min: number,
  allowed: string,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(option, text, allowed);
  }
  return n;
}

/**
 * Throws for positional arguments given to a command that takes options only.
 *
 * @param command - the command name.
 * @param rest - the positionals after it.
 */
export function assertNoPositionals(command: string, rest: readonly string[]): void {
  if (rest.length > 0) {
    throw new InvalidArgumentError(command, rest[0], 'options only, no positional arguments');
  }
}
