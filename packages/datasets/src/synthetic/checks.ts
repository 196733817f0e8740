import { assertFinite, InvalidArgumentError } from '@dropkit/core';

/** A finite number >= 0 (noise levels, standard deviations). */
export function assertNonNegative(name: string, value: unknown): number {
  const v = assertFinite(name, value);
  if (v < 0) throw new InvalidArgumentError(name, value, 'a finite number >= 0');
  return v;
}
