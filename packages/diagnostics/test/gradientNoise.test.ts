import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { dropout } from '@dropkit/ops';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { gradientNoiseStats, type Objective } from '../src/index.js';
import { dot, lcg } from './helpers.js';

/** Cockpit's quantities straight from their definitions, given per-example gradients (float64). */
function byDefinition(gi: number[][], groups: number[][], eps = 1e-5) {
  const b = gi.length;
  const p = (gi[0] as number[]).length;
  const g = Array.from({ length: p }, (_, j) => gi.reduce((s, r) => s + (r[j] as number), 0) / b);
  const g2 = dot(g, g);
  const gsnr = g.map((m, j) => {
    const second = gi.reduce((s, r) => s + (r[j] as number) ** 2, 0) / b;
    return (m * m) / (second - m * m + eps);
  });
  const normSum = gi.reduce(
    (s, r) => s + r.reduce((a, v, j) => a + (v - (g[j] as number)) ** 2, 0),
    0,
  );
  const innerSum = gi.reduce((s, r) => s + (dot(r, g) - g2) ** 2, 0);
  const orthoSum = gi.reduce((s, r) => {
    const c = dot(r, g) / g2;
    return s + r.reduce((a, v, j) => a + (v - c * (g[j] as number)) ** 2, 0);
  }, 0);
  const meanOf = (idx: number[]) => idx.reduce((s, j) => s + (gsnr[j] as number), 0) / idx.length;
  return {
    gradNorm: Math.sqrt(g2),
    meanGsnr: gsnr.reduce((s, v) => s + v, 0) / p,
    groupGsnr: groups.map(meanOf),
    normTest: Math.sqrt(normSum / (b * (b - 1) * g2)),
    innerTest: Math.sqrt(innerSum / ((b - 1) * b * g2 * g2)),
    orthoTest: Math.sqrt(orthoSum / ((b - 1) * b * g2)),
  };
}

describeWithBackends('gradientNoiseStats', ({ it }) => {
  it('matches GSNR and the norm / inner-product / orthogonality tests by definition (linear model)', async () => {
    // 0.5 mean_e (x_e.w + c - y_e)^2: example e's gradient is r_e (x_e, 1), r_e = x_e.w + c - y_e.
    const d = 4;
    const next = lcg(77);
    const x = Array.from({ length: 7 }, () => Array.from({ length: d }, next));
    const y = Array.from({ length: 7 }, () => next() + 0.5);
    const w0 = [0.3, -0.2, 0.5, 0.1];
    const c0 = 0.2;
    const w = tf.variable(tf.tensor1d(w0), true, 'gnsW');
    const c = tf.variable(tf.scalar(c0), true, 'gnsC');
    const objective: Objective = {
      params: [w, c],
      groups: ['weights', 'bias'],
      loss: (b) =>
        tf.tidy(() => {
          const pred = tf.add(
            tf.squeeze(tf.matMul(b.xs as tf.Tensor, tf.reshape(w, [-1, 1])), [1]),
            c,
          );
          return tf.mul(0.5, tf.mean(tf.square(tf.sub(pred, b.ys as tf.Tensor)))) as tf.Scalar;
        }),
    };
    const gi = x.map((xe, e) => {
      const r = dot(xe, w0) + c0 - (y[e] as number);
      return [...xe.map((v) => r * v), r];
    });
    const expected = byDefinition(gi, [[0, 1, 2, 3], [4]]);
    const batch = { xs: tf.tensor2d(x), ys: tf.tensor1d(y) };
    const r = await expectNoLeaks(() => gradientNoiseStats(objective, batch));
    expect(r.batchSize).toBe(7);
    expectClose(r.gradNorm, expected.gradNorm, { rtol: 1e-5 });
    expectClose(r.meanGsnr, expected.meanGsnr, { rtol: 1e-4 });
    expectClose(r.gsnrByLayer.weights as number, expected.groupGsnr[0] as number, { rtol: 1e-4 });
    expectClose(r.gsnrByLayer.bias as number, expected.groupGsnr[1] as number, { rtol: 1e-4 });
    expectClose(r.normTest, expected.normTest, { rtol: 1e-4 });
    expectClose(r.innerTest, expected.innerTest, { rtol: 1e-3 });
    expectClose(r.orthoTest, expected.orthoTest, { rtol: 1e-4 });
    // epsilon enters as in Cockpit: a huge one flattens the GSNR toward g^2 / eps.
    const big = await gradientNoiseStats(objective, batch, { epsilon: 1e3 });
    expectClose(big.meanGsnr, byDefinition(gi, [], 1e3).meanGsnr, { rtol: 1e-4 });
    tf.dispose([w, c, batch.xs, batch.ys]);
  });

  it('uses each example with dropout on by default and off with training: false', async () => {
    // loss = -mean_e <w, dropout(x_e)>: example e's gradient is -m * x_e with a fixed-seed mask m
    // over one example (the measurement slices one example at a time).
    const d = 6;
    const rate = 0.5;
    const next = lcg(5);
    const x = Array.from({ length: 5 }, () => Array.from({ length: d }, () => next() + 0.3));
    const w = tf.variable(tf.zeros([d]), true, 'gnsDropW');
    const objective: Objective = {
      params: [w],
      loss: (b, training) =>
        tf.tidy(
          () =>
            tf.neg(
              tf.sum(
                tf.mul(w, tf.mean(dropout(b.xs as tf.Tensor, { rate, seed: 4, training }), 0)),
              ),
            ) as tf.Scalar,
        ),
    };
    const mask = Array.from(tf.tidy(() => dropout(tf.ones([1, d]), { rate, seed: 4 })).dataSync());
    const on = byDefinition(
      x.map((r) => r.map((v, i) => -v * (mask[i] as number))),
      [],
    );
    const off = byDefinition(
      x.map((r) => r.map((v) => -v)),
      [],
    );
    const batch = { xs: tf.tensor2d(x), ys: tf.zeros([5]) };
    const rOn = await gradientNoiseStats(objective, batch);
    const rOff = await gradientNoiseStats(objective, batch, { training: false });
    expectClose(rOn.normTest, on.normTest, { rtol: 1e-4 });
    expectClose(rOn.gradNorm, on.gradNorm, { rtol: 1e-5 });
    expectClose(rOff.normTest, off.normTest, { rtol: 1e-4 });
    expectClose(rOff.meanGsnr, off.meanGsnr, { rtol: 1e-4 });
    expect(Math.abs(on.gradNorm - off.gradNorm) / off.gradNorm).toBeGreaterThan(0.05);
    tf.dispose([w, batch.xs, batch.ys]);
  });

  it('rejects a batch of one, a bad epsilon and a zero mini-batch gradient', async () => {
    const w = tf.variable(tf.zeros([2]), true, 'gnsBad');
    const objective: Objective = {
      params: [w],
      loss: (b) =>
        tf.tidy(() => tf.neg(tf.sum(tf.mul(w, tf.mean(b.xs as tf.Tensor, 0)))) as tf.Scalar),
    };
    const one = { xs: tf.ones([1, 2]), ys: tf.zeros([1]) };
    const opposite = {
      xs: tf.tensor2d([
        [1, 2],
        [-1, -2],
      ]),
      ys: tf.zeros([2]),
    };
    await expect(gradientNoiseStats(objective, one)).rejects.toThrow(InvalidArgumentError);
    await expect(gradientNoiseStats(objective, opposite, { epsilon: -1 })).rejects.toThrow(
      /epsilon/,
    );
    const before = tf.memory().numTensors;
    // The two per-example gradients cancel: g = 0 and the tests divide by ||g||.
    await expect(gradientNoiseStats(objective, opposite)).rejects.toThrow(DropkitError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, one.xs, one.ys, opposite.xs, opposite.ys]);
  });
});
