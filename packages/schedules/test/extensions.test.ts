import { describe, expect, it } from 'vitest';
import {
  dropPathRates,
  earlySchedule,
  lateSchedule,
  rampSchedule,
  standardSchedule,
  steps,
  toArray,
} from '../src/index.js';

const close = (a: number[], b: number[]) => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => {
    expect(v).toBeCloseTo(b[i] as number, 14);
  });
};

describe('shapes beyond the official code', () => {
  it('early cosine falls from p to 0 along a half cosine, 0 at cutoffSteps - 1', () => {
    const a = toArray(earlySchedule(0.2, { cutoff: steps(3), shape: 'cosine' }), 4);
    close(a, [0.2, 0.1, 0, 0]); // cos(0)=1, cos(pi/2)=0, cos(pi)=-1
  });
  it('early step falls in equal stairs', () => {
    const a = toArray(earlySchedule(0.4, { cutoff: steps(8), shape: 'step', stages: 4 }), 9);
    close(a, [0.4, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1, 0]);
  });
  it('standard with warm-up ramps from 0 and reaches p at the warm-up length', () => {
    close(toArray(standardSchedule(0.2, { warmup: steps(4) }), 6), [0, 0.05, 0.1, 0.15, 0.2, 0.2]);
  });
  it('late with warm-up ramps after the cutoff', () => {
    close(
      toArray(lateSchedule(0.3, { cutoff: steps(2), warmup: steps(3) }), 7),
      [0, 0, 0, 0.1, 0.2, 0.3, 0.3],
    );
  });
  it('ramp (DropBlock) rises as linspace(0, p, cutoffSteps), then holds', () => {
    close(
      toArray(rampSchedule(0.1, { cutoff: steps(5) }), 7),
      [0, 0.025, 0.05, 0.075, 0.1, 0.1, 0.1],
    );
  });
  it('cosine ramp rises along a half cosine', () => {
    close(toArray(rampSchedule(0.2, { cutoff: steps(3), shape: 'cosine' }), 4), [0, 0.1, 0.2, 0.2]);
  });
});

describe('dropPathRates', () => {
  it('is linspace(0, rate, depth) as timm computes it', () => {
    close(
      dropPathRates(0.1, 12),
      Array.from({ length: 12 }, (_, i) => (0.1 * i) / 11),
    );
    expect(dropPathRates(0.1, 12)[11]).toBe(0.1);
    expect(dropPathRates(0.5, 1)).toEqual([0]);
  });
  it('splits one ramp over all blocks per stage', () => {
    const stages = dropPathRates(0.6, [2, 2, 3]);
    expect(stages.map((s) => s.length)).toEqual([2, 2, 3]);
    close(stages.flat(), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  });
  it('rejects bad depth and rate, naming the parameter', () => {
    expect(() => dropPathRates(0.1, 0)).toThrow(/depth: received 0/);
    expect(() => dropPathRates(0.1, [2, 1.5])).toThrow(/depth\[1\]: received 1.5/);
    expect(() => dropPathRates(1, 4)).toThrow(/rate: received 1/);
  });
});
