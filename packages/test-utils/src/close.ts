import { expect } from 'vitest';

/** Tolerances of {@link expectClose}: passes where |a - e| <= atol + rtol * |e|. */
export interface CloseOptions {
  readonly atol?: number;
  readonly rtol?: number;
}

/**
 * Asserts two numbers or arrays of numbers are equal within tolerance, naming the first index that
 * differs. NaN never equals anything.
 */
export function expectClose(
  actual: ArrayLike<number> | number,
  expected: ArrayLike<number> | number,
  options: CloseOptions = {},
): void {
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, 'length').toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] as number;
    const ok = Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok) {
      expect.fail(`element ${i}: got ${x}, expected ${y} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
