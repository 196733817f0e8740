import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import {
  earlySchedule,
  epochs,
  lateSchedule,
  rateAt,
  standardSchedule,
  steps,
  stepsPerEpoch,
  toArray,
} from '../src/index.js';

// Values below are worked out by hand from the official code's definitions:
//   standard: [p] * total
//   early constant: [p] * cutoffSteps + [0] * rest
//   early linear: linspace(p, 0, cutoffSteps) + [0] * rest   (0 included at cutoffSteps - 1)
//   late: [0] * cutoffSteps + [p] * rest

describe('stepsPerEpoch', () => {
  it('drops the partial last batch, as floor(trainSize / (batch * accumulation * workers))', () => {
    expect(stepsPerEpoch({ trainSize: 1000, batchSize: 64 })).toBe(15); // 15.625 -> 15
    expect(stepsPerEpoch({ trainSize: 1024, batchSize: 64 })).toBe(16);
    expect(stepsPerEpoch({ trainSize: 1000, batchSize: 64, gradAccumulation: 2 })).toBe(7); // 7.8
    expect(
      stepsPerEpoch({ trainSize: 1281167, batchSize: 128, workers: 8, gradAccumulation: 2 }),
    ).toBe(625);
  });
  it('rejects an epoch with no full step, naming trainSize', () => {
    expect(() => stepsPerEpoch({ trainSize: 10, batchSize: 64 })).toThrow(/trainSize: received 10/);
    expect(() => stepsPerEpoch({ trainSize: 100, batchSize: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('standard', () => {
  it('is p at every step, first and last', () => {
    const a = toArray(standardSchedule(0.1), 7);
    expect(a).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  });
});

describe('early, constant', () => {
  const s = earlySchedule(0.25, { cutoff: steps(3) });
  it('is p before the cutoff and 0 from the cutoff step on', () => {
    expect(toArray(s, 6)).toEqual([0.25, 0.25, 0.25, 0, 0, 0]);
    expect(rateAt(s, 2)).toBe(0.25); // last step before the cutoff
    expect(rateAt(s, 3)).toBe(0); // the step at the cutoff
    expect(rateAt(s, 5, { totalSteps: 6 })).toBe(0); // the last step
  });
  it('with a one-step cutoff, drops only at step 0', () => {
    expect(toArray(earlySchedule(0.5, { cutoff: steps(1) }), 3)).toEqual([0.5, 0, 0]);
  });
  it('with cutoff 0 (the official default), never drops', () => {
    expect(toArray(earlySchedule(0.5, { cutoff: steps(0) }), 3)).toEqual([0, 0, 0]);
  });
  it('with the cutoff equal to the training length, drops at every step', () => {
    expect(toArray(earlySchedule(0.5, { cutoff: steps(3) }), 3)).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('early, linear', () => {
  it('is linspace(p, 0, cutoffSteps) inclusive of 0, then 0', () => {
    const a = toArray(earlySchedule(0.1, { cutoff: steps(5), shape: 'linear' }), 8);
    const expected = [0.1, 0.075, 0.05, 0.025, 0, 0, 0, 0];
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 15);
    });
    expect(a[4]).toBe(0); // exactly 0 at cutoffSteps - 1
  });
  it('with a one-step cutoff is [p] then 0 (linspace with num=1 is [start])', () => {
    expect(toArray(earlySchedule(0.1, { cutoff: steps(1), shape: 'linear' }), 3)).toEqual([
      0.1, 0, 0,
    ]);
  });
  it('with a cutoff in epochs and a partial last epoch, counts whole steps only', () => {
    // 1000 examples, batch 64 -> 15 steps per epoch (the 40 left over are dropped); cutoff 2 epochs
    // = 30 steps; 4 epochs = 60 steps in all.
    const perEpoch = stepsPerEpoch({ trainSize: 1000, batchSize: 64 });
    const s = earlySchedule(0.29, { cutoff: epochs(2), shape: 'linear' });
    const a = toArray(s, 4 * perEpoch, { stepsPerEpoch: perEpoch });
    expect(a).toHaveLength(60);
    expect(a[0]).toBe(0.29);
    expect(a[1]).toBeCloseTo(0.28, 15); // 0.29 - 0.29/29
    expect(a[14]).toBeCloseTo(0.15, 15); // 0.29 * (1 - 14/29)
    expect(a[28]).toBeCloseTo(0.01, 15);
    expect(a[29]).toBe(0); // cutoffSteps - 1
    expect(a[30]).toBe(0); // the step at the cutoff
    expect(a[59]).toBe(0); // the last step
  });
});

describe('late', () => {
  it('is 0 before the cutoff and p from the cutoff step to the last', () => {
    const s = lateSchedule(0.4, { cutoff: epochs(1) });
    const a = toArray(s, 9, { stepsPerEpoch: 4 });
    expect(a).toEqual([0, 0, 0, 0, 0.4, 0.4, 0.4, 0.4, 0.4]);
    expect(rateAt(s, 3, { stepsPerEpoch: 4 })).toBe(0);
    expect(rateAt(s, 4, { stepsPerEpoch: 4 })).toBe(0.4);
  });
  it('with a one-step cutoff, is 0 only at step 0', () => {
    expect(toArray(lateSchedule(0.4, { cutoff: steps(1) }), 3)).toEqual([0, 0.4, 0.4]);
  });
});

describe('the ViT-T recipe (early dropout 0.1, linear, cutoff 50 of 300 epochs)', () => {
  it('matches the official schedule array at its boundaries', () => {
    const perEpoch = stepsPerEpoch({
      trainSize: 1281167,
      batchSize: 128,
      workers: 8,
      gradAccumulation: 2,
    });
    const s = earlySchedule(0.1, { cutoff: epochs(50), shape: 'linear' });
    const a = toArray(s, 300 * perEpoch, { stepsPerEpoch: perEpoch });
    const c = 50 * perEpoch; // 31250
    expect(a).toHaveLength(187500);
    expect(a[0]).toBe(0.1);
    expect(a[c - 1]).toBe(0);
    expect(a[Math.floor((c - 1) / 2)]).toBeCloseTo(
      0.1 * (1 - Math.floor((c - 1) / 2) / (c - 1)),
      15,
    );
    expect(a.slice(c).every((v) => v === 0)).toBe(true);
  });
});
