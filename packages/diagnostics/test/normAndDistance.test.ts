import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  distanceFromInit,
  gradientNorm,
  type NormReport,
  type Objective,
  type ParameterSnapshot,
  snapshotParameters,
} from '../src/index.js';
import { lcg } from './helpers.js';

/**
 * A two-layer linear model y = (x W1 + b1) W2 + b2 under tfjs-layers' mean squared error, with
 * its gradient by hand: for L = mean over B x m of (y - t)^2, dL/dy = 2 (y - t) / (B m).
 */
function linearModelByHand(
  x: number[][],
  t: number[][],
  w1: number[][],
  b1: number[],
  w2: number[][],
  b2: number[],
) {
  const B = x.length;
  const h = x.map((row) =>
    b1.map((bj, j) => row.reduce((s, xi, i) => s + xi * (w1[i]?.[j] as number), bj)),
  );
  const y = h.map((row) =>
    b2.map((bk, k) => row.reduce((s, hj, j) => s + hj * (w2[j]?.[k] as number), bk)),
  );
  const m = b2.length;
  const dy = y.map((row, e) => row.map((v, k) => (2 * (v - (t[e]?.[k] as number))) / (B * m)));
  const dh = dy.map((row) =>
    b1.map((_, j) => row.reduce((s, d, k) => s + d * (w2[j]?.[k] as number), 0)),
  );
  const sq = (f: (e: number) => number[][]) => {
    // sum over entries of (sum over examples of the per-example outer product)^2
    const acc = f(0).map((r) => r.map(() => 0));
    for (let e = 0; e < B; e++) {
      f(e).forEach((r, i) => {
        r.forEach((v, j) => {
          (acc[i] as number[])[j] = (acc[i]?.[j] as number) + v;
        });
      });
    }
    return acc.flat().reduce((s, v) => s + v * v, 0);
  };
  const gW1 = sq((e) => (x[e] as number[]).map((xi) => (dh[e] as number[]).map((d) => xi * d)));
  const gb1 = sq((e) => [dh[e] as number[]]);
  const gW2 = sq((e) => (h[e] as number[]).map((hj) => (dy[e] as number[]).map((d) => hj * d)));
  const gb2 = sq((e) => [dy[e] as number[]]);
  return { gW1, gb1, gW2, gb2 };
}

const rows = (n: number, m: number, next: () => number) =>
  Array.from({ length: n }, () => Array.from({ length: m }, next));

function expectQuadrature(report: NormReport): void {
  const fromLayers = Math.sqrt(Object.values(report.byLayer).reduce((s, v) => s + v * v, 0));
  const fromParams = Math.sqrt(Object.values(report.byParam).reduce((s, v) => s + v * v, 0));
  expectClose(fromLayers, report.total, { rtol: 1e-12 });
  expectClose(fromParams, report.total, { rtol: 1e-12 });
}

describeWithBackends('gradientNorm', ({ it }) => {
  it('matches the hand-computed gradient of a tfjs-layers model, per layer and per parameter', async () => {
    const next = lcg(1);
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 3, inputShape: [4], name: 'hidden' }),
        tfl.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    const x = rows(6, 4, next);
    const t = rows(6, 2, next);
    const batch = { xs: tf.tensor2d(x), ys: tf.tensor2d(t) };
    const [w1, b1, w2, b2] = model.getWeights().map((w) => w.arraySync());
    const hand = linearModelByHand(
      x,
      t,
      w1 as number[][],
      b1 as number[],
      w2 as number[][],
      b2 as number[],
    );
    const report = await expectNoLeaks(() => gradientNorm(model, batch));
    expectClose(report.byLayer.hidden as number, Math.sqrt(hand.gW1 + hand.gb1), { rtol: 1e-5 });
    expectClose(report.byLayer.out as number, Math.sqrt(hand.gW2 + hand.gb2), { rtol: 1e-5 });
    expectClose(report.total, Math.sqrt(hand.gW1 + hand.gb1 + hand.gW2 + hand.gb2), { rtol: 1e-5 });
    const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    expectClose(report.byParam[names[0] as string] as number, Math.sqrt(hand.gW1), { rtol: 1e-5 });
    expectClose(report.byParam[names[3] as string] as number, Math.sqrt(hand.gb2), { rtol: 1e-5 });
    expect(Object.keys(report.byLayer)).toEqual(['hidden', 'out']);
    expectQuadrature(report);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('takes the gradient with dropout on by default and off with training: false', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dropout({ rate: 0.5, inputShape: [8] }),
        tfl.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    // y = sum(x) with kernel 1, target 0: dL/dW_i = 2 mean_e (y_e x_ei) without dropout.
    const x = rows(4, 8, lcg(2)).map((r) => r.map((v) => v + 2));
    const batch = { xs: tf.tensor2d(x), ys: tf.zeros([4, 1]) };
    const y = x.map((r) => r.reduce((s, v) => s + v, 0));
    const g = Array.from(
      { length: 8 },
      (_, i) => (2 * x.reduce((s, r, e) => s + (y[e] as number) * (r[i] as number), 0)) / 4,
    );
    const inference = await gradientNorm(model, batch, { training: false });
    expectClose(inference.total, Math.sqrt(g.reduce((s, v) => s + v * v, 0)), { rtol: 1e-5 });
    // With half of 32 inputs dropped (and the rest doubled), the gradient differs every time.
    const norms = new Set<number>();
    for (let i = 0; i < 5; i++) norms.add((await gradientNorm(model, batch)).total);
    expect(norms.has(inference.total)).toBe(false);
    expect(norms.size).toBeGreaterThan(1);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('groups an objective by its groups, each parameter its own group by default', async () => {
    const a = tf.variable(tf.tensor1d([3, 0]), true, 'gnA');
    const b = tf.variable(tf.tensor1d([0, 4]), true, 'gnB');
    const c = tf.variable(tf.tensor1d([12]), true, 'gnC');
    const loss = () =>
      tf.mul(0.5, tf.addN([a, b, c].map((v) => tf.sum(tf.square(v))))) as tf.Scalar;
    const data = { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) };
    const grouped = await gradientNorm(
      { params: [a, b, c], loss, groups: ['ab', 'ab', 'c'] },
      data,
    );
    expect(grouped.byLayer).toEqual({ ab: 5, c: 12 });
    expect(grouped.total).toBe(13);
    const plain = await gradientNorm({ params: [a, b, c], loss }, data);
    expect(plain.byLayer).toEqual({ gnA: 3, gnB: 4, gnC: 12 });
    tf.dispose([a, b, c, data.xs, data.ys]);
  });

  it('restores BatchNorm moving statistics that a training-mode forward pass updates', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 3, inputShape: [2] }),
        tfl.layers.batchNormalization(),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    const batch = { xs: tf.randomNormal([8, 2], 3, 2, 'float32', 4), ys: tf.ones([8, 1]) };
    const stats = () => model.layers[1]?.getWeights().map((w) => Array.from(w.dataSync()));
    const before = stats();
    await gradientNorm(model, batch);
    expect(stats()).toEqual(before);
    // The same forward pass through tfjs-layers directly does move them, so the test can fail.
    tf.tidy(() => {
      model.apply(batch.xs, { training: true });
    });
    expect(stats()).not.toEqual(before);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('rejects bad targets and batches, and a non-finite gradient', async () => {
    const w = tf.variable(tf.ones([2]), true, 'gnBad');
    const frozen = tf.variable(tf.ones([2]), false, 'gnFrozen');
    const data = { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) };
    await expect(gradientNorm({ params: [], loss: () => tf.scalar(0) }, data)).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      gradientNorm({ params: [frozen], loss: () => tf.sum(frozen) }, data),
    ).rejects.toThrow(/trainable/);
    await expect(gradientNorm({} as Objective, data)).rejects.toThrow(/target/);
    await expect(
      gradientNorm({ params: [w], loss: () => tf.sum(w) }, { xs: tf.scalar(1), ys: tf.scalar(1) }),
    ).rejects.toThrow(/batch/);
    await expect(
      gradientNorm({ params: [w], loss: () => tf.sum(w), groups: ['a', 'b'] }, data),
    ).rejects.toThrow(/groups/);
    await expect(
      gradientNorm(
        { params: [w], loss: () => tf.mul(tf.sum(w), Number.POSITIVE_INFINITY) as tf.Scalar },
        data,
      ),
    ).rejects.toThrow(DropkitError);
    const uncompiled = tfl.sequential({
      layers: [tfl.layers.dense({ units: 1, inputShape: [1] })],
    });
    await expect(gradientNorm(uncompiled, data)).rejects.toThrow(/loss/);
    tf.dispose([w, frozen, data.xs, data.ys]);
    uncompiled.dispose();
  });
});

describeWithBackends('distanceFromInit', ({ it }) => {
  it('is ||W_t - W_0|| by hand, per layer, after real optimizer steps', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'a' }),
        tfl.layers.dense({ units: 2, name: 'b' }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) });
    const init = snapshotParameters(model);
    const w0 = model.getWeights().map((w) => Array.from(w.dataSync()));
    const zero = await distanceFromInit(model, init);
    expect(zero.total).toBe(0);
    const xs = tf.randomNormal([16, 3], 0, 1, 'float32', 7);
    const ys = tf.randomNormal([16, 2], 0, 1, 'float32', 8);
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
    const wt = model.getWeights().map((w) => Array.from(w.dataSync()));
    const sq = wt.map((w, i) => w.reduce((s, v, j) => s + (v - (w0[i]?.[j] as number)) ** 2, 0));
    const report = await expectNoLeaks(() => distanceFromInit(model, init));
    expect(report.total).toBeGreaterThan(0);
    expectClose(report.total, Math.sqrt(sq.reduce((s, v) => s + v, 0)), { rtol: 1e-5 });
    expectClose(report.byLayer.a as number, Math.sqrt((sq[0] as number) + (sq[1] as number)), {
      rtol: 1e-5,
    });
    expectClose(report.byLayer.b as number, Math.sqrt((sq[2] as number) + (sq[3] as number)), {
      rtol: 1e-5,
    });
    expectQuadrature(report);
    // The snapshot still holds W_0 bit for bit.
    expect(init.tensors.map((t) => Array.from(t.dataSync()))).toEqual(w0);
    tf.dispose([xs, ys]);
    model.dispose();
    init.dispose();
  });

  it('snapshots copies: disposing frees them, a disposed or mismatched snapshot is an error', async () => {
    const w = tf.variable(tf.zeros([3]), true, 'dsW');
    const other = tf.variable(tf.zeros([4]), true, 'dsOther');
    const objective = { params: [w], loss: () => tf.sum(w) as tf.Scalar };
    const before = tf.memory().numTensors;
    const snap = snapshotParameters(objective);
    expect(tf.memory().numTensors).toBe(before + 1);
    // Kept out of a surrounding tidy.
    let inTidy: ParameterSnapshot | undefined;
    tf.tidy(() => {
      inTidy = snapshotParameters(objective);
    });
    expect(inTidy?.tensors[0]?.isDisposed).toBe(false);
    inTidy?.dispose();
    await expect(
      distanceFromInit({ params: [other], loss: () => tf.sum(other) as tf.Scalar }, snap),
    ).rejects.toThrow(/initial/);
    snap.dispose();
    snap.dispose();
    expect(snap.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await expect(distanceFromInit(objective, snap)).rejects.toThrow(DropkitError);
    tf.dispose([w, other]);
  });
});
