import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { dropout } from '@dropkit/ops';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { type Batch, gradientDirectionStats, type Objective } from '../src/index.js';
import { cos, lcg } from './helpers.js';

const D = 5;

/** Linear regression 0.5 mean_e (x_e.w - y_e)^2: the gradient of a batch is mean_e (x_e.w - y_e) x_e. */
function linear(w0: number[]): { objective: Objective; w: tf.Variable } {
  const w = tf.variable(tf.tensor1d(w0), true, `gdW${Math.random()}`);
  return {
    w,
    objective: {
      params: [w],
      loss: (b) =>
        tf.tidy(() => {
          const r = tf.sub(
            tf.matMul(b.xs as tf.Tensor, tf.reshape(w, [-1, 1])),
            tf.reshape(b.ys as tf.Tensor, [-1, 1]),
          );
          return tf.mul(0.5, tf.mean(tf.square(r))) as tf.Scalar;
        }),
    },
  };
}

interface RawBatch {
  x: number[][];
  y: number[];
}

function rawBatches(sizes: readonly number[], seed: number): RawBatch[] {
  const next = lcg(seed);
  return sizes.map((n) => ({
    x: Array.from({ length: n }, () => Array.from({ length: D }, next)),
    y: Array.from({ length: n }, next),
  }));
}

const toBatch = (r: RawBatch): Batch => ({ xs: tf.tensor2d(r.x), ys: tf.tensor1d(r.y) });

const gradByHand = (x: number[][], y: number[], w: number[]) =>
  w.map(
    (_, i) =>
      x.reduce(
        (s, xe, e) =>
          s +
          (xe.reduce((a, v, j) => a + v * (w[j] as number), 0) - (y[e] as number)) *
            (xe[i] as number),
        0,
      ) / x.length,
  );

function gdvGde(g: number[][], full: number[]): { gdv: number; gde: number } {
  let gdv = 0;
  let pairs = 0;
  for (let i = 0; i < g.length; i++) {
    for (let j = i + 1; j < g.length; j++) {
      gdv += 1 - cos(g[i] as number[], g[j] as number[]);
      pairs++;
    }
  }
  const gde = g.reduce((s, gi) => s + 1 - cos(gi, full), 0) / g.length;
  return { gdv: gdv / pairs, gde };
}

describeWithBackends('gradientDirectionStats', ({ it }) => {
  it('matches GDV and GDE computed by hand on a linear model, subset cut mid-batch', async () => {
    const w0 = [0.5, -0.25, 1, 0, -1];
    const { objective, w } = linear(w0);
    const mini = rawBatches([4, 4, 4, 4, 4, 4], 3);
    const full = rawBatches([5, 5, 5, 3], 9);
    const miniT = mini.map(toBatch);
    const fullT = full.map(toBatch);
    const k = 5;
    const subset = 12; // 5 + 5 + the first 2 of the third batch
    const r = await expectNoLeaks(() =>
      gradientDirectionStats(objective, {
        batches: miniT,
        fullData: fullT,
        k,
        fullSubsetSize: subset,
      }),
    );
    const g = mini.slice(0, k).map((b) => gradByHand(b.x, b.y, w0));
    const fx = full.flatMap((b) => b.x).slice(0, subset);
    const fy = full.flatMap((b) => b.y).slice(0, subset);
    const expected = gdvGde(g, gradByHand(fx, fy, w0));
    expect(r).toMatchObject({ k, fullSubsetSize: subset, batchSize: 4 });
    expectClose(r.gdv, expected.gdv, { atol: 1e-5, rtol: 1e-4 });
    expectClose(r.gde, expected.gde, { atol: 1e-5, rtol: 1e-4 });
    // The whole of fullData when no subset size is given.
    const all = await gradientDirectionStats(objective, { batches: miniT, fullData: fullT, k });
    expect(all.fullSubsetSize).toBe(18);
    const expectedAll = gdvGde(
      g,
      gradByHand(
        full.flatMap((b) => b.x),
        full.flatMap((b) => b.y),
        w0,
      ),
    );
    expectClose(all.gde, expectedAll.gde, { atol: 1e-5, rtol: 1e-4 });
    // The caller's batches are left alone.
    expect([...miniT, ...fullT].every((b) => !(b.xs as tf.Tensor).isDisposed)).toBe(true);
    tf.dispose([
      w,
      ...miniT.flatMap((b) => [b.xs as tf.Tensor, b.ys as tf.Tensor]),
      ...fullT.flatMap((b) => [b.xs as tf.Tensor, b.ys as tf.Tensor]),
    ]);
  });

  it('takes G with dropout on at its rate and ĝ with dropout off', async () => {
    // loss = -mean_e <w, dropout(x_e)>: the gradient is -mean_e dropout(x)_e. With a fixed seed
    // the mask m (entries 0 or 1/(1-p)) is the same every call, so every G is known in closed
    // form; ĝ is -mean_e x_e only if dropout is off for it.
    const rate = 0.4;
    const w = tf.variable(tf.zeros([D]), true, 'gdDropW');
    const calls: { rows: number; training: boolean }[] = [];
    const objective: Objective = {
      params: [w],
      loss: (b, training) => {
        calls.push({ rows: (b.xs as tf.Tensor).shape[0] as number, training });
        return tf.tidy(
          () =>
            tf.neg(
              tf.sum(
                tf.mul(w, tf.mean(dropout(b.xs as tf.Tensor, { rate, seed: 11, training }), 0)),
              ),
            ) as tf.Scalar,
        );
      },
    };
    const mini = rawBatches([6, 6, 6], 21).map((b) => ({
      ...b,
      x: b.x.map((r) => r.map((v) => v + 0.25)),
    }));
    const full = rawBatches([6, 6], 22).map((b) => ({
      ...b,
      x: b.x.map((r) => r.map((v) => v + 0.25)),
    }));
    const mask = Array.from(tf.tidy(() => dropout(tf.ones([6, D]), { rate, seed: 11 })).dataSync());
    const masked = (x: number[][]) =>
      x.map((r, e) => r.map((v, i) => v * (mask[e * D + i] as number)));
    const meanNeg = (x: number[][]) =>
      Array.from({ length: D }, (_, i) => -x.reduce((s, r) => s + (r[i] as number), 0) / x.length);
    const g = mini.map((b) => meanNeg(masked(b.x)));
    const fullX = full.flatMap((b) => b.x);
    const expected = gdvGde(g, meanNeg(fullX));
    const r = await gradientDirectionStats(objective, {
      batches: mini.map(toBatch),
      fullData: full.map(toBatch),
      k: 3,
      disposeBatches: true,
    });
    expectClose(r.gdv, expected.gdv, { atol: 1e-6, rtol: 1e-4 });
    expectClose(r.gde, expected.gde, { atol: 1e-6, rtol: 1e-4 });
    // The other modes give numbers far outside the tolerance above, so it tells them apart.
    const gdvOff = gdvGde(
      mini.map((b) => meanNeg(b.x)),
      meanNeg(fullX),
    ).gdv;
    const gdeOn = gdvGde(
      g,
      meanNeg(fullX.map((r, e) => r.map((v, i) => v * (mask[(e % 6) * D + i] as number)))),
    ).gde;
    expect(Math.abs(gdvOff - expected.gdv)).toBeGreaterThan(1e-2);
    expect(Math.abs(gdeOn - expected.gde)).toBeGreaterThan(1e-2);
    expect(calls.filter((c) => c.training).length).toBe(3);
    expect(calls.filter((c) => !c.training).map((c) => c.rows)).toEqual([6, 6]);
    w.dispose();
  });

  it('streams: reads generators batch by batch, never holding the dataset, and leaves them resumable', async () => {
    const { objective, w } = linear([1, 2, 3, 4, 5]);
    let live = 0;
    let maxLive = 0;
    const base = tf.memory().numTensors;
    // 200 batches made on the fly and handed over (disposeBatches).
    async function* fullStream() {
      for (let i = 0; i < 200; i++) {
        live = tf.memory().numTensors - base;
        maxLive = Math.max(maxLive, live);
        yield toBatch(rawBatches([8], 100 + i)[0] as RawBatch);
      }
    }
    let made = 0;
    function* miniStream() {
      for (;;) yield toBatch(rawBatches([4], 1000 + made++)[0] as RawBatch);
    }
    const mini = miniStream();
    const before = tf.memory().numTensors;
    const r = await gradientDirectionStats(objective, {
      batches: mini,
      fullData: fullStream(),
      k: 4,
      disposeBatches: true,
    });
    expect(r.fullSubsetSize).toBe(1600);
    // K gradients, ĝ, one batch in flight: a bound that does not grow with the 200 batches.
    expect(maxLive).toBeLessThan(30);
    expect(tf.memory().numTensors).toBe(before);
    // The generator was not closed: it goes on with the fifth batch.
    expect(made).toBe(4);
    const fifth = mini.next();
    expect(fifth.done).toBe(false);
    expect(made).toBe(5);
    tf.dispose([(fifth.value as Batch).xs as tf.Tensor, (fifth.value as Batch).ys as tf.Tensor, w]);
  });

  it('accepts a function for the next batch (fullData needs a subset size then)', async () => {
    const { objective, w } = linear([1, -1, 1, -1, 1]);
    const raw = rawBatches(new Array(10).fill(3), 50);
    let i = 0;
    const next = () => toBatch(raw[i++ % raw.length] as RawBatch);
    await expect(
      gradientDirectionStats(objective, { batches: next, fullData: next, k: 2 }),
    ).rejects.toThrow(/fullSubsetSize/);
    i = 0;
    const r = await gradientDirectionStats(objective, {
      batches: next,
      fullData: next,
      k: 2,
      fullSubsetSize: 7,
      disposeBatches: true,
    });
    expect(r.fullSubsetSize).toBe(7);
    expect(r.gdv).toBeGreaterThan(0);
    w.dispose();
  });

  it('rejects bad options, short sources and zero gradients', async () => {
    const { objective, w } = linear([0, 0, 0, 0, 0]);
    const one = [toBatch(rawBatches([2], 1)[0] as RawBatch)];
    await expect(
      gradientDirectionStats(objective, { batches: one, fullData: one, k: 1 }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      gradientDirectionStats(objective, { batches: one, fullData: one, k: 2 }),
    ).rejects.toThrow(/k = 2/);
    await expect(
      gradientDirectionStats(objective, { batches: one, fullData: [], k: 2 }),
    ).rejects.toThrow(/fullData/);
    await expect(
      gradientDirectionStats(objective, { batches: 3 as never, fullData: one }),
    ).rejects.toThrow(/batches/);
    await expect(
      gradientDirectionStats(objective, { batches: one, fullData: one, fullSubsetSize: 0 }),
    ).rejects.toThrow(/fullSubsetSize/);
    // y = 0 and w = 0: every gradient is exactly zero, no direction to compare.
    const zero = [{ xs: tf.ones([2, D]), ys: tf.zeros([2]) }];
    const before = tf.memory().numTensors;
    await expect(
      gradientDirectionStats(objective, { batches: [...zero, ...zero], fullData: zero, k: 2 }),
    ).rejects.toThrow(DropkitError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([
      w,
      ...one.flatMap((b) => [b.xs as tf.Tensor, b.ys as tf.Tensor]),
      zero[0]?.xs as tf.Tensor,
      zero[0]?.ys as tf.Tensor,
    ]);
  });
});
