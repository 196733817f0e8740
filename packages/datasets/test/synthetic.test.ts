import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import {
  condensation1d,
  type Dataset,
  gaussianBlobCenters,
  gaussianBlobs,
  teacherNetwork,
  teacherStudent,
  twoSpirals,
} from '../src/index.js';
import { meanStd } from './helpers.js';

const same = (a: Dataset, b: Dataset) =>
  Array.from(a.features).join() === Array.from(b.features).join() &&
  Array.from(a.labels).join() === Array.from(b.labels).join();

describe('twoSpirals', () => {
  it('is reproducible by seed and differs across seeds', () => {
    expect(
      same(
        twoSpirals({ n: 100, noise: 0.1, seed: 3 }),
        twoSpirals({ n: 100, noise: 0.1, seed: 3 }),
      ),
    ).toBe(true);
    expect(same(twoSpirals({ n: 100, seed: 3 }), twoSpirals({ n: 100, seed: 4 }))).toBe(false);
  });

  it('noise-free points lie on the arms: radius t, angle 2 pi turns t (+ pi for class 1)', () => {
    const turns = 1.5;
    const ds = twoSpirals({ n: 500, turns, seed: 1 });
    expect(ds.classCounts()).toEqual([250, 250]);
    for (let i = 0; i < ds.size; i++) {
      const x = ds.features[2 * i] as number;
      const y = ds.features[2 * i + 1] as number;
      const r = Math.hypot(x, y);
      expect(r).toBeLessThanOrEqual(1);
      if (r < 1e-3) continue;
      const expectedAngle = 2 * Math.PI * turns * r + (ds.labels[i] === 1 ? Math.PI : 0);
      const diff = Math.atan2(y, x) - expectedAngle;
      const wrapped = Math.abs(Math.atan2(Math.sin(diff), Math.cos(diff)));
      expect(wrapped).toBeLessThan(1e-4 / r + 1e-5);
      expect(ds.labels[i]).toBe(i % 2);
    }
    // t = sqrt(u): P(t < 1/2) = 1/4.
    const inner = Array.from({ length: ds.size }, (_, i) =>
      Math.hypot(ds.features[2 * i] as number, ds.features[2 * i + 1] as number),
    ).filter((r) => r < 0.5).length;
    expect(Math.abs(inner - 125)).toBeLessThan(5 * Math.sqrt(500 * 0.25 * 0.75));
  });

  it('adds N(0, noise^2) to the clean points of the same seed', () => {
    const clean = twoSpirals({ n: 4000, seed: 2 });
    const noisy = twoSpirals({ n: 4000, seed: 2, noise: 0.2 });
    const diff = Float64Array.from(noisy.features, (v, i) => v - (clean.features[i] as number));
    const { mean, std } = meanStd(diff);
    expect(Math.abs(mean)).toBeLessThan((5 * 0.2) / Math.sqrt(8000));
    expect(Math.abs(std - 0.2)).toBeLessThan(5 * (0.2 / Math.sqrt(2 * 8000)));
  });

  it('validates its options', () => {
    expect(() => twoSpirals({ n: 0 })).toThrow(/n: received 0/);
    expect(() => twoSpirals({ n: 10, noise: -1 })).toThrow(/noise: received -1/);
    expect(() => twoSpirals({ n: 10, turns: 0 })).toThrow(/turns/);
    expect(() => twoSpirals({ n: 10, seed: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe('gaussianBlobs', () => {
  const centers = [
    [0, 0, 0],
    [5, -5, 2],
    [-3, 8, 1],
  ];

  it('blob means are within 5 standard errors of the centres, stds match', () => {
    const std = [0.5, 1, 2];
    const n = 6000;
    const ds = gaussianBlobs({ n, centers, std, seed: 7 });
    expect(ds.featureShape).toEqual([3]);
    expect(ds.classCounts()).toEqual([2000, 2000, 2000]);
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 3; j++) {
        const values: number[] = [];
        for (let i = 0; i < n; i++)
          if (ds.labels[i] === c) values.push(ds.features[i * 3 + j] as number);
        const { mean, std: s } = meanStd(values);
        const sc = std[c] as number;
        expect(Math.abs(mean - (centers[c]?.[j] as number))).toBeLessThan(
          (5 * sc) / Math.sqrt(2000),
        );
        expect(Math.abs(s - sc)).toBeLessThan((5 * sc) / Math.sqrt(2 * 2000));
      }
    }
  });

  it('random centres: in the box, reproducible, independent of n, and what the blobs use', () => {
    const c1 = gaussianBlobCenters({ centers: 4, dim: 5, seed: 9 });
    expect(c1).toEqual(gaussianBlobCenters({ centers: 4, dim: 5, seed: 9 }));
    expect(c1).not.toEqual(gaussianBlobCenters({ centers: 4, dim: 5, seed: 10 }));
    expect(c1.flat().every((v) => v >= -10 && v < 10)).toBe(true);
    const boxed = gaussianBlobCenters({ centers: 50, dim: 2, centerBox: [2, 3] });
    expect(boxed.flat().every((v) => v >= 2 && v < 3)).toBe(true);
    expect(meanStd(boxed.flat()).mean).toBeGreaterThan(2.4);
    expect(meanStd(boxed.flat()).mean).toBeLessThan(2.6);
    const ds = gaussianBlobs({ n: 4000, centers: 4, dim: 5, std: 0.1, seed: 9 });
    for (let c = 0; c < 4; c++) {
      const values: number[] = [];
      for (let i = c; i < 4000; i += 4) values.push(ds.features[i * 5] as number);
      expect(Math.abs(meanStd(values).mean - (c1[c]?.[0] as number))).toBeLessThan(
        (5 * 0.1) / Math.sqrt(1000),
      );
    }
    expect(same(gaussianBlobs({ n: 300, seed: 1 }), gaussianBlobs({ n: 300, seed: 1 }))).toBe(true);
  });

  it('validates its options', () => {
    expect(() => gaussianBlobs({ n: 10, centers: [[0, 0], [1]] })).toThrow(/centers\[1\]/);
    expect(() => gaussianBlobs({ n: 10, centers, std: [1, 2] })).toThrow(/std/);
    expect(() => gaussianBlobs({ n: 10, centers: 3, centerBox: [1, 1] })).toThrow(/centerBox/);
    expect(() => gaussianBlobs({ n: 10, std: -1 })).toThrow(/std: received -1/);
  });
});

/** The teacher's forward pass, written from its definition: x W_0, act, ..., W_last. */
function forward(t: ReturnType<typeof teacherNetwork>, x: number[]): number[] {
  let h = x;
  t.weights.forEach((w, l) => {
    const out = t.layerSizes[l + 1] as number;
    const z = Array.from({ length: out }, (_, b) =>
      h.reduce((acc, v, a) => acc + v * (w[a * out + b] as number), 0),
    );
    const last = l === t.weights.length - 1;
    h = last
      ? z
      : z.map((v) =>
          t.activation === 'relu' ? Math.max(0, v) : t.activation === 'tanh' ? Math.tanh(v) : v,
        );
  });
  return h;
}

describe('teacherStudent', () => {
  const base = { inputDim: 6, teacherHidden: [12, 5], outputDim: 2 } as const;

  it('noise-free targets are the teacher network applied to the inputs', () => {
    const ds = teacherStudent({ ...base, n: 200, seed: 3, activation: 'tanh' });
    const teacher = teacherNetwork({ ...base, teacherSeed: 3, activation: 'tanh' });
    expect(ds.labelShape).toEqual([2]);
    for (let i = 0; i < 200; i++) {
      const x = Array.from(ds.features.subarray(i * 6, i * 6 + 6));
      const y = forward(teacher, x);
      expect(ds.labels[2 * i]).toBeCloseTo(y[0] as number, 5);
      expect(ds.labels[2 * i + 1]).toBeCloseTo(y[1] as number, 5);
    }
  });

  it('inputs are N(0, 1); teacher weights are N(0, 1 / fanIn)', () => {
    const ds = teacherStudent({ ...base, n: 5000, seed: 1 });
    const { mean, std } = meanStd(ds.features);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(30000));
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    const t = teacherNetwork({ inputDim: 400, teacherHidden: 300, teacherSeed: 2 });
    const w0 = meanStd(t.weights[0] as Float64Array);
    expect(Math.abs(w0.std - 1 / Math.sqrt(400))).toBeLessThan(0.01 / Math.sqrt(400));
    expect(Math.abs(meanStd(t.weights[1] as Float64Array).std - 1 / Math.sqrt(300))).toBeLessThan(
      0.1 / Math.sqrt(300),
    );
  });

  it('noise adds N(0, noise^2) to the same targets; the teacher seed fixes the function', () => {
    const clean = teacherStudent({ ...base, n: 3000, seed: 4 });
    const noisy = teacherStudent({ ...base, n: 3000, seed: 4, noise: 0.3 });
    expect(Array.from(noisy.features)).toEqual(Array.from(clean.features));
    const diff = Float64Array.from(noisy.labels, (v, i) => v - (clean.labels[i] as number));
    const { mean, std } = meanStd(diff);
    expect(Math.abs(mean)).toBeLessThan((5 * 0.3) / Math.sqrt(6000));
    expect(Math.abs(std - 0.3)).toBeLessThan(5 * (0.3 / Math.sqrt(2 * 6000)));
    // Same teacher, other inputs: a test set for the same function.
    const test = teacherStudent({ ...base, n: 50, seed: 5, teacherSeed: 4 });
    const teacher = teacherNetwork({ ...base, teacherSeed: 4 });
    expect(test.features[0]).not.toBe(clean.features[0]);
    const y = forward(teacher, Array.from(test.features.subarray(0, 6)));
    expect(test.labels[0]).toBeCloseTo(y[0] as number, 5);
  });

  it('validates its options', () => {
    expect(() => teacherStudent({ ...base, n: 10, teacherHidden: [4, 0] })).toThrow(
      /teacherHidden\[1\]/,
    );
    expect(() => teacherStudent({ ...base, n: 10, activation: 'gelu' as 'relu' })).toThrow(
      /activation/,
    );
    expect(() => teacherStudent({ ...base, n: 10, noise: Number.NaN })).toThrow(
      /noise: received NaN/,
    );
  });
});

describe('condensation1d', () => {
  it('grid points cover the interval, targets follow their definitions', () => {
    const targets = {
      sin: (x: number) => Math.sin(Math.PI * x),
      sinSum: (x: number) => (Math.sin(Math.PI * x) + Math.sin(3 * Math.PI * x)) / 2,
      abs: (x: number) => Math.abs(x),
    };
    for (const [name, f] of Object.entries(targets)) {
      const { train, test } = condensation1d({ target: name as keyof typeof targets, n: 9 });
      expect(train.featureShape).toEqual([1]);
      expect(train.labelShape).toEqual([1]);
      expect(train.features[0]).toBe(-1);
      expect(train.features[8]).toBe(1);
      expect(train.features[4]).toBe(0);
      train.features.forEach((x, i) => {
        expect(train.labels[i]).toBeCloseTo(f(x), 6);
      });
      expect(test.size).toBe(201);
      test.features.forEach((x, i) => {
        expect(test.labels[i]).toBeCloseTo(f(x), 6);
      });
    }
  });

  it('uniform sampling: sorted, in [a, b), reproducible; custom targets; noise', () => {
    const opts = {
      sampling: 'uniform',
      n: 400,
      interval: [2, 5],
      seed: 6,
      target: (x: number) => x * x,
    } as const;
    const { train } = condensation1d(opts);
    const xs = Array.from(train.features);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...xs)).toBeLessThan(5);
    expect(Math.abs(meanStd(xs).mean - 3.5)).toBeLessThan(5 * Math.sqrt(0.75 / 400));
    expect(same(train, condensation1d(opts).train)).toBe(true);
    const noisy = condensation1d({ ...opts, noise: 0.5 }).train;
    const diff = Float64Array.from(noisy.labels, (v, i) => v - (train.labels[i] as number));
    expect(Math.abs(meanStd(diff).std - 0.5)).toBeLessThan(5 * (0.5 / Math.sqrt(800)));
    expect(condensation1d({ n: 1 }).train.features[0]).toBe(0);
  });

  it('validates its options and the target values', () => {
    expect(() => condensation1d({ interval: [1, 1] })).toThrow(/interval/);
    expect(() => condensation1d({ target: 'cos' as 'sin' })).toThrow(/target/);
    expect(() => condensation1d({ target: (x) => 1 / x, n: 3 })).toThrow(
      /target\(0\): received Infinity/,
    );
  });
});
