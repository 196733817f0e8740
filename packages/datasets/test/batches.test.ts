import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { type Batch, Dataset, fitNormalization, permutation } from '../src/index.js';

/** A dataset whose example i has features [i, -i] and class i mod 3, so batches reveal indices. */
function indexed(n: number): Dataset {
  const features = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    features[2 * i] = i;
    features[2 * i + 1] = -i;
  }
  return new Dataset({
    features,
    featureShape: [2],
    labels: Array.from({ length: n }, (_, i) => i % 3),
    numClasses: 3,
  });
}

/** Reads a batch into plain arrays and disposes its tensors. */
function read(b: Batch): { ids: number[]; ys: number[][] | number[]; shape: number[] } {
  const xs = b.xs.arraySync() as number[][];
  const ys = b.ys.arraySync() as number[][] | number[];
  const shape = b.xs.shape;
  tf.dispose([b.xs, b.ys]);
  for (const row of xs) expect(row[1]).toBe(-(row[0] as number));
  return { ids: xs.map((r) => r[0] as number), ys, shape };
}

function epochIds(ds: Dataset, options: Parameters<Dataset['batches']>[0]): number[][] {
  return Array.from(ds.batches(options), (b) => read(b).ids);
}

describeWithBackends('Dataset.batches', ({ it }) => {
  it('visits every example exactly once per epoch, with labels matching, shuffled or not', async () => {
    const ds = indexed(103);
    await expectNoLeaks(() => {
      for (const shuffle of [false, true]) {
        const seen: number[] = [];
        for (const b of ds.batches({ batchSize: 10, shuffle, seed: 5 })) {
          const { ids, ys, shape } = read(b);
          expect(shape[0]).toBe(ids.length);
          expect(ys).toEqual(ids.map((i) => i % 3));
          seen.push(...ids);
        }
        expect(seen.length).toBe(103);
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
        if (!shuffle) expect(seen).toEqual(Array.from({ length: 103 }, (_, i) => i));
      }
    });
  });

  it('gives 11 batches of 10 and a last of 3, or 10 full ones with dropRemainder', () => {
    const ds = indexed(103);
    const sizes = epochIds(ds, { batchSize: 10 }).map((ids) => ids.length);
    expect(sizes).toEqual([...new Array(10).fill(10), 3]);
    const dropped = epochIds(ds, { batchSize: 10, shuffle: true, seed: 1, dropRemainder: true });
    expect(dropped.map((ids) => ids.length)).toEqual(new Array(10).fill(10));
    const flat = dropped.flat();
    expect(new Set(flat).size).toBe(100);
    expect(ds.numBatches(10, true)).toBe(10);
  });

  it('shuffles with a permutation that is the same for the same seed and epoch only', () => {
    const ds = indexed(50);
    const order = (seed: number, epoch: number) =>
      epochIds(ds, { batchSize: 50, shuffle: true, seed, epoch })[0] as number[];
    const a = order(1, 0);
    expect(order(1, 0)).toEqual(a);
    expect(order(2, 0)).not.toEqual(a);
    expect(order(1, 1)).not.toEqual(a);
    expect(order(1, 1)).toEqual(Array.from(permutation(50, 1, 1)));
    // Different epochs are far apart, not shifted copies: few positions agree.
    const agree = a.filter((v, i) => v === order(1, 1)[i]).length;
    expect(agree).toBeLessThan(8);
  });

  it('draws each of the 120 orders of 5 items about equally often (chi-square over 12,000 epochs)', () => {
    const counts = new Map<string, number>();
    const first = new Array<number>(5).fill(0);
    const epochs = 12_000;
    for (let e = 0; e < epochs; e++) {
      const p = permutation(5, 77, e);
      const key = p.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
      first[p[0] as number] = (first[p[0] as number] as number) + 1;
    }
    expect(counts.size).toBe(120);
    const expected = epochs / 120;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // 119 degrees of freedom: mean 119, sd sqrt(238) ~ 15.4; 5 sd above the mean fails.
    expect(chi2).toBeLessThan(119 + 5 * Math.sqrt(2 * 119));
    const sd = Math.sqrt(epochs * 0.2 * 0.8);
    for (const c of first) expect(Math.abs(c - epochs / 5)).toBeLessThan(5 * sd);
  });

  it('makes no tensor before a batch is asked for, and leaks none when abandoned early', async () => {
    const ds = indexed(1000);
    await expectNoLeaks(() => {
      const it = ds.batches({ batchSize: 32, shuffle: true, seed: 3, oneHot: true });
      let count = 0;
      for (const b of it) {
        count++;
        tf.dispose([b.xs, b.ys]);
        if (count === 2) break;
      }
      expect(it.next().done).toBe(true);
      expect(count).toBe(2);
    });
    const before = tf.memory().numTensors;
    ds.batches({ batchSize: 32, shuffle: true });
    expect(tf.memory().numTensors).toBe(before);
    await expectNoLeaks(() => {
      try {
        for (const b of ds.batches({ batchSize: 10 })) {
          tf.dispose([b.xs, b.ys]);
          throw new Error('stop');
        }
      } catch {
        // The iteration died mid-epoch: nothing may be left behind.
      }
    });
  });

  it('is async iterable too, with the same batches', async () => {
    const ds = indexed(25);
    const sync = epochIds(ds, { batchSize: 7, shuffle: true, seed: 9 });
    const async: number[][] = [];
    await expectNoLeaks(async () => {
      for await (const b of ds.batches({ batchSize: 7, shuffle: true, seed: 9 })) {
        async.push(read(b).ids);
      }
    });
    expect(async).toEqual(sync);
  });

  it('resumes at a batch index with the same remaining batches', () => {
    const ds = indexed(97);
    const opts = { batchSize: 8, shuffle: true, seed: 11, epoch: 4 };
    const all = epochIds(ds, opts);
    const it = ds.batches(opts);
    for (let k = 0; k < 5; k++) {
      const r = it.next();
      if (!r.done) read(r.value);
    }
    const pos = it.position();
    expect(pos).toEqual({ epoch: 4, batch: 5 });
    const resumed = epochIds(ds, { ...opts, epoch: pos.epoch, startBatch: pos.batch });
    expect(resumed).toEqual(all.slice(5));
    expect(epochIds(ds, { ...opts, startBatch: all.length })).toEqual([]);
    expect(Array.from(it.batchIndices(5))).toEqual(all[5]);
  });

  it('reports the epoch and batch of each batch and its example indices', () => {
    const ds = indexed(10);
    const batches = Array.from(
      ds.batches({ batchSize: 4, shuffle: true, seed: 2, epoch: 3 }),
      (b) => {
        const meta = { epoch: b.epoch, batch: b.batch, indices: Array.from(b.indices) };
        expect(meta.indices).toEqual(read(b).ids);
        return meta;
      },
    );
    expect(batches.map((b) => [b.epoch, b.batch])).toEqual([
      [3, 0],
      [3, 1],
      [3, 2],
    ]);
  });

  it('one-hot labels: float32 [batch, numClasses] with a single 1 at the class', () => {
    const ds = indexed(9);
    const b = ds.batches({ batchSize: 9, oneHot: true }).next();
    if (b.done) return expect.fail('no batch');
    expect(b.value.ys.dtype).toBe('float32');
    expect(b.value.ys.shape).toEqual([9, 3]);
    const { ys } = read(b.value);
    (ys as number[][]).forEach((row, i) => {
      expect(row).toEqual([0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
    });
    const plain = ds.batches({ batchSize: 9 }).next();
    if (plain.done) return expect.fail('no batch');
    expect(plain.value.ys.dtype).toBe('int32');
    expect(plain.value.ys.shape).toEqual([9]);
    read(plain.value);
  });

  it('regression targets keep their shape; images become float32 with the transform applied', () => {
    const reg = new Dataset({
      features: [1, 2, 3],
      featureShape: [1],
      labels: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
      labelShape: [2],
    });
    const r = reg.batches({ batchSize: 2, startBatch: 1 }).next();
    if (r.done) return expect.fail('no batch');
    expect(r.value.ys.shape).toEqual([1, 2]);
    expect(Array.from(r.value.ys.dataSync())).toEqual([4.5, 5.5]);
    tf.dispose([r.value.xs, r.value.ys]);
    expect(() => reg.batches({ batchSize: 2, oneHot: true })).toThrow(/oneHot/);

    const img = new Dataset({
      features: new Uint8Array([0, 51, 255, 102]),
      featureShape: [2, 1, 1],
      labels: [0, 1],
      numClasses: 2,
    });
    const scaled = fitNormalization(img, { method: 'scale' }).apply(img);
    const s = scaled.batches({ batchSize: 2 }).next();
    if (s.done) return expect.fail('no batch');
    expect(s.value.xs.dtype).toBe('float32');
    expect(s.value.xs.shape).toEqual([2, 2, 1, 1]);
    expect(Array.from(s.value.xs.dataSync())).toEqual([0, 0.2, 1, 0.4].map(Math.fround));
    tf.dispose([s.value.xs, s.value.ys]);
  });

  it('rejects bad options, naming the parameter', () => {
    const ds = indexed(10);
    expect(() => ds.batches({ batchSize: 0 })).toThrow(/batchSize: received 0/);
    expect(() => ds.batches({ batchSize: 2.5 })).toThrow(InvalidArgumentError);
    expect(() => ds.batches({ batchSize: 2, seed: -1 })).toThrow(/seed: received -1/);
    expect(() => ds.batches({ batchSize: 2, epoch: 2 ** 32 })).toThrow(/epoch/);
    expect(() => ds.batches({ batchSize: 2, startBatch: 6 })).toThrow(
      /startBatch: received 6; expected an integer in \[0, 5\]/,
    );
  });

  it('an empty dataset has no batches', () => {
    const empty = indexed(10).take(0);
    expect(empty.size).toBe(0);
    expect(Array.from(empty.batches({ batchSize: 4, shuffle: true }))).toEqual([]);
  });
});
