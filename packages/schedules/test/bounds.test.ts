import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import {
  earlySchedule,
  epochs,
  lateSchedule,
  rateAt,
  standardSchedule,
  steps,
  toArray,
} from '../src/index.js';

describe('training length checks', () => {
  it('rejects a cutoff beyond the training length', () => {
    const s = earlySchedule(0.1, { cutoff: epochs(60) });
    expect(() => toArray(s, 500, { stepsPerEpoch: 10 })).toThrow(
      /schedule\.cutoff: received \{"value":60,"unit":"epoch"\}; expected a cutoff within the training length \(600 steps > totalSteps 500\)/,
    );
    expect(() => rateAt(s, 0, { stepsPerEpoch: 10, totalSteps: 599 })).toThrow(
      InvalidArgumentError,
    );
  });
  it('rejects a warm-up that runs past the end', () => {
    const s = lateSchedule(0.1, { cutoff: steps(5), warmup: steps(6) });
    expect(() => toArray(s, 10)).toThrow(/schedule\.warmup/);
  });
  it('rejects negative, fractional and out-of-range steps', () => {
    const s = standardSchedule(0.1);
    expect(() => rateAt(s, -1)).toThrow(/step: received -1; expected an integer >= 0/);
    expect(() => rateAt(s, 1.5)).toThrow(/step: received 1\.5/);
    expect(() => rateAt(s, 10, { totalSteps: 10 })).toThrow(
      /step: received 10; expected an integer in \[0, totalSteps - 1 = 9\]/,
    );
    expect(() => toArray(s, -2)).toThrow(/totalSteps: received -2/);
  });
  it('asks for stepsPerEpoch when a duration is in epochs', () => {
    expect(() => rateAt(earlySchedule(0.1, { cutoff: epochs(2) }), 0)).toThrow(
      /stepsPerEpoch: received undefined; expected a positive integer, because schedule\.cutoff is given in epochs \(2ep\)/,
    );
  });
  it('every schedule value stays within [0, rate]', () => {
    for (const s of [
      earlySchedule(0.37, { cutoff: steps(97), shape: 'cosine' }),
      earlySchedule(0.37, { cutoff: steps(97), shape: 'linear' }),
      earlySchedule(0.37, { cutoff: steps(97), shape: 'step', stages: 7 }),
    ]) {
      const a = toArray(s, 150);
      expect(Math.max(...a)).toBe(0.37);
      expect(Math.min(...a)).toBe(0);
      // monotone non-increasing for early schedules
      for (let i = 1; i < a.length; i++) expect(a[i]).toBeLessThanOrEqual(a[i - 1] as number);
    }
  });
});
