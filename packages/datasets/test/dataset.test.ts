import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import { Dataset, fitNormalization, loadIris, Normalization, normalize } from '../src/index.js';
import { meanStd } from './helpers.js';

const column = (values: ArrayLike<number>, width: number, j: number) =>
  Array.from({ length: values.length / width }, (_, i) => values[i * width + j] as number);

/** n examples whose single feature is the example index; class i mod 2. */
const indexed = (n: number) =>
  new Dataset({
    features: Float32Array.from({ length: n }, (_, i) => i),
    featureShape: [1],
    labels: Array.from({ length: n }, (_, i) => i % 2),
    numClasses: 2,
    name: 'idx',
  });

describe('Dataset', () => {
  it('exposes size, featureShape, numClasses and the task', () => {
    const ds = new Dataset({
      features: new Uint8Array(2 * 6),
      featureShape: [2, 3],
      labels: [0, 4],
      numClasses: 5,
    });
    expect([ds.size, ds.featureSize, ds.numClasses, ds.task]).toEqual([2, 6, 5, 'classification']);
    expect(ds.featureShape).toEqual([2, 3]);
    const reg = new Dataset({ features: [1, 2], featureShape: [1], labels: [0.5, 2] });
    expect([reg.task, reg.numClasses]).toEqual(['regression', undefined]);
    expect(Object.isFrozen(ds)).toBe(true);
  });

  it('rejects inconsistent input with InvalidArgumentError naming the field', () => {
    const make = (init: Partial<ConstructorParameters<typeof Dataset>[0]>) => () =>
      new Dataset({
        features: [1, 2, 3, 4],
        featureShape: [2],
        labels: [0, 1],
        numClasses: 2,
        ...init,
      });
    expect(make({ featureShape: [3] })).toThrow(
      /features\.length: received 4; expected a multiple of/,
    );
    expect(make({ labels: [0] })).toThrow(/labels\.length: received 1; expected 2/);
    expect(make({ labels: [0, 2] })).toThrow(
      /labels\[1\]: received 2; expected an integer in \[0, 2\)/,
    );
    expect(make({ labels: [0, 0.5] })).toThrow(InvalidArgumentError);
    expect(make({ features: [1, Number.NaN, 3, 4] })).toThrow(/features\[1\]: received NaN/);
    expect(make({ featureShape: [0] })).toThrow(/featureShape\[0\]/);
    expect(make({ numClasses: 0 })).toThrow(/numClasses/);
    expect(make({ classNames: ['a'] })).toThrow(/classNames\.length/);
    expect(make({ labelShape: [2] })).toThrow(/labelShape/);
    expect(
      () =>
        new Dataset({ features: [1, 2], featureShape: [1], labels: [1, Number.POSITIVE_INFINITY] }),
    ).toThrow(/labels\[1\]/);
  });

  it('take shares storage; subset copies the chosen rows in order', () => {
    const ds = indexed(10);
    const first = ds.take(3);
    expect(first.size).toBe(3);
    expect(first.features.buffer).toBe(ds.features.buffer);
    expect(Array.from(first.labels)).toEqual([0, 1, 0]);
    expect(ds.take(50).size).toBe(10);
    const picked = ds.subset([7, 2, 7]);
    expect(Array.from(picked.features)).toEqual([7, 2, 7]);
    expect(Array.from(picked.labels)).toEqual([1, 0, 1]);
    expect(picked.features.buffer).not.toBe(ds.features.buffer);
    expect(() => ds.subset([1, 10])).toThrow(
      /indices\[1\]: received 10; expected an integer in \[0, 9\]/,
    );
  });

  it('reshapeFeatures keeps the data and checks the element count', () => {
    const ds = new Dataset({
      features: new Uint8Array(12),
      featureShape: [2, 2, 3],
      labels: [1],
      numClasses: 2,
    });
    expect(ds.reshapeFeatures([12]).featureShape).toEqual([12]);
    expect(() => ds.reshapeFeatures([5])).toThrow(/featureShape/);
  });
});

describe('Dataset.split', () => {
  it('fractions: parts are disjoint, cover everything, and have the rounded sizes', () => {
    const ds = indexed(103);
    const { train, val, test } = ds.split({ train: 0.7, val: 0.15, test: 0.15, seed: 4 });
    // Cuts at round(0.7 * 103) = 72, round(0.85 * 103) = 88, round(1 * 103) = 103.
    expect([train.size, val.size, test.size]).toEqual([72, 16, 15]);
    const all = [...train.features, ...val.features, ...test.features].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    // Labels travel with their examples.
    for (const part of [train, val, test]) {
      part.features.forEach((v, i) => {
        expect(part.labels[i]).toBe(v % 2);
      });
    }
    expect(train.name).toBe('idx/train');
  });

  it('is reproducible by seed, differs across seeds, and keeps order without shuffle', () => {
    const ds = indexed(60);
    const a = ds.split({ train: 0.5, test: 0.5, seed: 1 });
    const b = ds.split({ train: 0.5, test: 0.5, seed: 1 });
    const c = ds.split({ train: 0.5, test: 0.5, seed: 2 });
    expect(Array.from(a.train.features)).toEqual(Array.from(b.train.features));
    expect(Array.from(a.train.features)).not.toEqual(Array.from(c.train.features));
    const ordered = ds.split({ train: 40, test: 20, shuffle: false });
    expect(Array.from(ordered.train.features)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(ordered.test.features[0]).toBe(40);
    expect(ordered.val.size).toBe(0);
  });

  it('a shuffled split is not biased towards the start: the mean index of the test part ~ 499.5', () => {
    const ds = indexed(1000);
    const means = [1, 2, 3, 4, 5].map(
      (seed) => meanStd(ds.split({ train: 0.8, test: 0.2, seed }).test.features).mean,
    );
    // Sampling 200 of 0..999 without replacement: sd of the mean ~ 288.7 / sqrt(200) * sqrt(0.8) ~ 18.3.
    for (const m of means) expect(Math.abs(m - 499.5)).toBeLessThan(5 * 18.3);
  });

  it('counts: exact sizes, the rest unused; bad sizes are rejected', () => {
    const ds = indexed(20);
    const { train, val, test } = ds.split({ train: 10, val: 3, test: 2, seed: 0 });
    expect([train.size, val.size, test.size]).toEqual([10, 3, 2]);
    expect(() => ds.split({ train: 15, test: 10 })).toThrow(/train \+ val \+ test: received 25/);
    expect(() => ds.split({ train: 2.5, test: 3 })).toThrow(/train: received 2.5/);
    expect(() => ds.split({ train: -0.1 })).toThrow(/train: received -0.1/);
  });
});

describe('normalization', () => {
  /** Train features ~ (10, 2) and (-3, 0.5) per column; test shifted, so its own stats differ. */
  function shiftedSplits() {
    const make = (n: number, offset: number, seed: number) => {
      const f = new Float32Array(2 * n);
      let s = seed;
      const rand = () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      };
      for (let i = 0; i < n; i++) {
        f[2 * i] = 10 + offset + 4 * (rand() - 0.5);
        f[2 * i + 1] = -3 + offset + (rand() - 0.5);
      }
      return new Dataset({
        features: f,
        featureShape: [2],
        labels: new Array(n).fill(0),
        numClasses: 1,
      });
    };
    return { train: make(500, 0, 1), val: make(100, 5, 2), test: make(100, 20, 3) };
  }

  it('standard: statistics from train only, applied unchanged to val and test', () => {
    const splits = shiftedSplits();
    const out = normalize(splits);
    const trainRaw = splits.train.features;
    for (let j = 0; j < 2; j++) {
      const { mean, std } = meanStd(column(trainRaw, 2, j));
      const t = meanStd(column(out.train.featureValues(), 2, j));
      expect(Math.abs(t.mean)).toBeLessThan(1e-5);
      expect(Math.abs(t.std - 1)).toBeLessThan(1e-5);
      // Test values map with the train mean and std: (x - mean_train) / std_train.
      const rawTest = column(splits.test.features, 2, j);
      const normTest = column(out.test.featureValues(), 2, j);
      rawTest.forEach((x, i) => {
        expect(normTest[i]).toBeCloseTo((x - mean) / std, 4);
      });
      // ...so the test part is not centred: it was not fitted on itself.
      expect(meanStd(normTest).mean).toBeGreaterThan(5);
    }
    expect(Object.keys(out).sort()).toEqual(['test', 'train', 'val']);
  });

  it('minmax maps train to [0, 1] per feature; scale divides by maxValue', () => {
    const { train, test } = shiftedSplits();
    const mm = normalize({ train, test }, { method: 'minmax' });
    for (let j = 0; j < 2; j++) {
      const col = column(mm.train.featureValues(), 2, j);
      expect(Math.min(...col)).toBeCloseTo(0, 6);
      expect(Math.max(...col)).toBeCloseTo(1, 6);
    }
    const sc = fitNormalization(train, { method: 'scale', maxValue: 4 }).apply(train);
    expect(sc.featureValues()[0]).toBeCloseTo((train.features[0] as number) / 4, 5);
  });

  it('per channel: one mean and std per last axis entry of NHWC images', () => {
    // 2 x 2 images with 2 channels: channel 0 around 100, channel 1 around 10.
    const n = 50;
    const f = new Uint8Array(n * 8);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 4; p++) {
        f[i * 8 + p * 2] = 100 + ((i + p) % 7);
        f[i * 8 + p * 2 + 1] = 10 + ((i * 3 + p) % 5);
      }
    }
    const ds = new Dataset({
      features: f,
      featureShape: [2, 2, 2],
      labels: new Array(n).fill(0),
      numClasses: 1,
    });
    const norm = fitNormalization(ds, { per: 'channel' });
    for (let c = 0; c < 2; c++) {
      const raw = Array.from({ length: n * 4 }, (_, k) => f[k * 2 + c] as number);
      const { mean, std } = meanStd(raw);
      for (let p = 0; p < 4; p++) {
        expect(norm.shift[p * 2 + c]).toBeCloseTo(mean, 9);
        expect(norm.scale[p * 2 + c]).toBeCloseTo(1 / std, 9);
      }
    }
    const all = fitNormalization(ds, { per: 'all' });
    expect(new Set(all.shift).size).toBe(1);
  });

  it('composes with an earlier transform, keeps constant features finite, round-trips JSON', () => {
    const { train } = shiftedSplits();
    const twice = fitNormalization(train).apply(train);
    const again = fitNormalization(twice, { method: 'minmax' }).apply(twice);
    const direct = fitNormalization(train, { method: 'minmax' }).apply(train);
    const a = again.featureValues();
    const b = direct.featureValues();
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i] as number, 5);
    });

    const constant = new Dataset({ features: [3, 3, 3], featureShape: [1], labels: [0, 0, 0] });
    expect(Array.from(fitNormalization(constant).apply(constant).featureValues())).toEqual([
      0, 0, 0,
    ]);
    expect(Array.from(fitNormalization(constant, { method: 'minmax' }).scale)).toEqual([1]);

    const norm = fitNormalization(train);
    const back = Normalization.fromJSON(JSON.parse(JSON.stringify(norm)));
    expect(Array.from(back.shift)).toEqual(Array.from(norm.shift));
    expect(Array.from(back.scale)).toEqual(Array.from(norm.scale));
  });

  it('rejects mismatched sizes, empty train sets and bad options', () => {
    const iris = loadIris();
    const norm = fitNormalization(iris);
    expect(() => norm.apply(iris.reshapeFeatures([2, 2]).take(1))).not.toThrow();
    const other = new Dataset({ features: [1, 2, 3], featureShape: [3], labels: [0] });
    expect(() => norm.apply(other)).toThrow(/dataset\.featureSize: received 3; expected 4/);
    expect(() => fitNormalization(iris.take(0))).toThrow(/train\.size/);
    expect(() => fitNormalization(iris, { method: 'zscore' as 'standard' })).toThrow(/method/);
    expect(() => fitNormalization(iris, { method: 'scale', maxValue: 0 })).toThrow(/maxValue/);
    expect(() => normalize({ test: iris } as never)).toThrow(/splits\.train/);
    expect(
      () => new Normalization('standard', new Float64Array([0]), new Float64Array([0])),
    ).toThrow(/scale\[0\]/);
  });
});
