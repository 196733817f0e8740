import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  alphaDropout,
  createGenerator,
  dropBlock2d,
  dropout,
  gaussianDropout,
  mcDropoutPredict,
  multiSampleDropout,
  probDropBlock2d,
  standout,
} from '../src/index.js';
import { mcDropoutPredict as mcDirect } from '../src/ops/mcDropoutPredict.js';
import { multiSampleDropout as msdDirect } from '../src/ops/multiSampleDropout.js';
import { composed, expectBitIdentical, numericGrad } from './helpers.js';

describeWithBackends('multiSampleDropout', ({ it }) => {
  it('draws M different masks: streams 0..M-1 of a numeric seed', async () => {
    const x = tf.randomNormal([3, 16], 0, 1, 'float32', 1);
    const outs = multiSampleDropout(x, { rate: 0.5, samples: 4, seed: 9 });
    expect(outs).toHaveLength(4);
    const g = createGenerator(9); // the same streams 0..3, one per call
    for (const out of outs)
      expectBitIdentical(await out.data(), await dropout(x, { rate: 0.5, seed: g }).data());
    const masks = await Promise.all(
      outs.map(async (o) => Array.from(await o.data(), (v) => (v === 0 ? 0 : 1)).join('')),
    );
    expect(new Set(masks).size).toBe(4);
  });

  it('applies the shared head to each sample and averages the losses', async () => {
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
    const w = tf.randomNormal([6, 3], 0, 1, 'float32', 3);
    const head = (t: tf.Tensor) => tf.matMul(t, w);
    const loss = (y: tf.Tensor) => tf.mean(tf.square(y)) as tf.Scalar;
    const outs = multiSampleDropout(x, { rate: 0.3, samples: 5, seed: 4, head });
    const losses = await Promise.all(outs.map(async (o) => (await loss(o).data())[0]!));
    const manual = losses.reduce((a, b) => a + b) / 5;
    const averaged = multiSampleDropout(x, { rate: 0.3, samples: 5, seed: 4, head, loss });
    expectClose((await averaged.data())[0]!, manual, { rtol: 1e-5 });
  });

  it('the averaged loss is differentiable: its gradient equals a numerical one', async () => {
    const w = tf.randomNormal([6, 2], 0, 1, 'float32', 5);
    const f = (x: tf.Tensor) =>
      multiSampleDropout(x, {
        rate: 0.4,
        samples: 3,
        seed: 2,
        head: (t) => tf.matMul(t, w),
        loss: (y) => tf.sum(y) as tf.Scalar,
      });
    const x = tf.randomNormal([2, 6], 0, 1, 'float32', 6);
    expectClose(await tf.grad(f)(x).data(), await numericGrad(f, x), { atol: 5e-3, rtol: 5e-3 });
  });

  it('training false gives M copies of the input; leaves no tensors behind', async () => {
    const x = tf.tensor([[1, 2, 3]]);
    const outs = multiSampleDropout(x, { rate: 0.5, samples: 2, training: false });
    expect(await Promise.all(outs.map(async (o) => Array.from(await o.data())))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    await expectNoLeaks(async () => {
      const l = multiSampleDropout(x, {
        rate: 0.5,
        samples: 4,
        loss: (y) => tf.sum(y) as tf.Scalar,
      });
      l.dispose();
      tf.dispose(multiSampleDropout(x, { rate: 0.5, samples: 4 }));
    });
  });

  it('rejects bad input, naming the parameter', async () => {
    const x = tf.ones([2, 2]);
    expect(() => msdDirect(x, { rate: 0.5, samples: 0 })).toThrow(
      /samples: received 0; expected an integer >= 1/,
    );
    expect(() => msdDirect(x, { rate: 1, samples: 2 })).toThrow(InvalidArgumentError);
    expect(() => msdDirect(x, { rate: 0.5, samples: 2, loss: (y) => y as tf.Scalar })).toThrow(
      /loss: received "a tensor of shape \[2,2\]"; expected a scalar/,
    );
  });
});

describeWithBackends('mcDropoutPredict', ({ it }) => {
  it('computes mean, variance, predictive entropy and mutual information exactly', async () => {
    // Two passes with known class probabilities for one example.
    const p = [
      [0.9, 0.1],
      [0.5, 0.5],
    ];
    const r = mcDropoutPredict((_x, t) => tf.tensor([p[t]!]), tf.zeros([1, 1]), { samples: 2 });
    const mean = [0.7, 0.3];
    const H = (q: number[]) => -q.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);
    expectClose(await r.mean.data(), mean, { atol: 1e-6 });
    expectClose(await r.variance.data(), [0.04, 0.04], { atol: 1e-6 });
    expectClose(await r.predictiveEntropy!.data(), [H(mean)], { atol: 1e-6 });
    expectClose(await r.mutualInformation!.data(), [H(mean) - (H(p[0]!) + H(p[1]!)) / 2], {
      atol: 1e-6,
    });
    expect(r.samples).toBe(2);
  });

  it('a deterministic model has zero variance and zero mutual information', async () => {
    const probs = tf.tensor([[0.2, 0.3, 0.5]]);
    const r = mcDropoutPredict(() => probs.clone(), tf.zeros([1, 1]), { samples: 5 });
    expectClose(await r.variance.data(), [0, 0, 0], { atol: 1e-7 });
    expectClose(await r.mutualInformation!.data(), [0], { atol: 1e-6 });
  });

  it('with dropout on, logits get softmaxed and the mutual information is positive', async () => {
    const w = tf.randomNormal([8, 3], 0, 2, 'float32', 1);
    const g = createGenerator(3);
    const r = mcDropoutPredict(
      (x) => tf.matMul(dropout(x, { rate: 0.5, seed: g }), w),
      tf.randomNormal([4, 8], 0, 1, 'float32', 2),
      {
        samples: 32,
        outputs: 'logits',
      },
    );
    const sums = await tf.sum(r.mean, -1).data();
    expectClose(sums, [1, 1, 1, 1], { atol: 1e-5 });
    expect(Math.min(...(await r.mutualInformation!.data()))).toBeGreaterThan(0);
  });

  it('regression reports mean and variance only; no tensors leak beyond the result', async () => {
    const x = tf.zeros([2, 1]);
    await expectNoLeaks(async () => {
      const r = mcDropoutPredict((_x, t) => tf.fill([2], t), x, {
        samples: 3,
        outputs: 'regression',
      });
      expectClose(await r.mean.data(), [1, 1]);
      expectClose(await r.variance.data(), [2 / 3, 2 / 3]);
      expect(r.predictiveEntropy).toBeNull();
      tf.dispose([r.mean, r.variance]);
    });
  });

  it('rejects bad input, naming the parameter', async () => {
    const x = tf.zeros([1, 1]);
    expect(() => mcDirect(() => tf.ones([1, 2]), x, { samples: 1 })).toThrow(
      /samples: received 1; expected an integer >= 2/,
    );
    expect(() =>
      mcDirect(() => tf.ones([1, 2]), x, { samples: 2, outputs: 'probs' as 'logits' }),
    ).toThrow(/outputs: received "probs"/);
    expect(() => mcDirect((_x, t) => tf.ones([1, 2 + t]), x, { samples: 2 })).toThrow(
      /output of pass 1: received "shape \[1,3\]"/,
    );
  });
});

describeWithBackends('composed fallbacks differentiate through intermediate inputs', ({ it }) => {
  // tf.grad disposes intermediates after the forward pass; a fallback that reads its input
  // through a closure instead of the tape fails here.
  it('every op, on its composed path, takes gradients of an intermediate input like the fused path', async () => {
    const x = tf.abs(tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1));
    const cases: [string, (t: tf.Tensor) => tf.Tensor][] = [
      ['dropout', (t) => dropout(t, { rate: 0.3, seed: 1 })],
      ['probDropBlock2d', (t) => probDropBlock2d(t, { rate: 0.3, blockSize: 2, seed: 1 })],
      ['dropBlock2d', (t) => dropBlock2d(t, { rate: 0.3, blockSize: 2, seed: 1 })],
      ['gaussianDropout', (t) => gaussianDropout(t, { rate: 0.3, seed: 1 })],
      ['alphaDropout', (t) => alphaDropout(t, { rate: 0.3, seed: 1 })],
      ['standout', (t) => standout(t, tf.mul(t, 2), { seed: 1 })],
    ];
    for (const [name, op] of cases) {
      const f = (t: tf.Tensor) => tf.sum(op(tf.mul(t, 3))) as tf.Scalar;
      const fused = tf.grad(f)(x);
      const viaComposed = composed(() => tf.grad(f)(x));
      expect(fused.shape, name).toEqual(x.shape);
      expectClose(await viaComposed.data(), await fused.data(), { atol: 1e-6 });
    }
  });
});
