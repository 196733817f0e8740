import { InvalidArgumentError } from '@dropkit/core';
import { Dropout, findDropoutSites } from '@dropkit/layers';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { MultiHeadSelfAttention } from '../src/index.js';
import { saveAndLoad } from './helpers.js';

/**
 * Self-attention written head by head from its definition with plain tfjs ops: per head h,
 * q = x Wq_h + bq_h (likewise k, v), softmax(q k^T / sqrt(d)) v; heads side by side, then the
 * output projection. The fused projection's columns are [q | k | v], each head-major.
 */
function referenceAttention(x: tf.Tensor3D, weights: tf.Tensor[], heads: number): tf.Tensor {
  return tf.tidy(() => {
    const [qkvKernel, qkvBias, projKernel, projBias] = weights as [
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
    ];
    const [batch, tokens, width] = x.shape;
    const d = width / heads;
    const rows: tf.Tensor[] = [];
    for (let b = 0; b < batch; b++) {
      const xb = tf.reshape(tf.slice(x, [b, 0, 0], [1, tokens, width]), [tokens, width]);
      const perHead: tf.Tensor[] = [];
      for (let h = 0; h < heads; h++) {
        const project = (part: number) =>
          tf.add(
            tf.matMul(xb, tf.slice(qkvKernel, [0, part * width + h * d], [width, d])),
            tf.slice(qkvBias, [part * width + h * d], [d]),
          );
        const q = project(0);
        const k = project(1);
        const v = project(2);
        const scores = tf.div(tf.matMul(q, tf.transpose(k)), Math.sqrt(d));
        perHead.push(tf.matMul(tf.softmax(scores), v));
      }
      rows.push(tf.add(tf.matMul(tf.concat(perHead, 1), projKernel), projBias));
    }
    return tf.stack(rows);
  });
}

describeWithBackends('MultiHeadSelfAttention', ({ it }) => {
  it('matches attention computed head by head from its definition', async () => {
    for (const [heads, width] of [
      [1, 4],
      [2, 6],
      [3, 12],
    ] as const) {
      const layer = new MultiHeadSelfAttention({ numHeads: heads });
      const x = tf.randomNormal([2, 5, width], 0, 1, 'float32', heads) as tf.Tensor3D;
      tf.tidy(() => layer.apply(x) as tf.Tensor); // builds the weights
      // Larger weights than the init's 0.02, so the softmax is far from uniform.
      const weights = layer.weights.map((w, i) =>
        tf.randomNormal(w.shape as number[], 0, 0.7, 'float32', 10 + i),
      );
      layer.setWeights(weights);
      const got = await expectNoLeaks(() =>
        tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync()),
      );
      const expected = referenceAttention(x, weights, heads);
      expectClose(got, expected.dataSync(), { atol: 1e-5, rtol: 1e-4 });
      // The check has teeth: the same weights with the heads merged give other numbers.
      if (heads > 1) {
        const merged = referenceAttention(x, weights, 1);
        const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(merged, expected))).dataSync()[0]);
        expect(gap).toBeGreaterThan(1e-3);
        merged.dispose();
      }
      tf.dispose([x, expected, ...weights]);
      layer.dispose();
    }
  });

  it('owns its weights: fused qkv and output projection, 4 w^2 + 4 w parameters', () => {
    const layer = new MultiHeadSelfAttention({ numHeads: 2, name: 'a' });
    tf.tidy(() => layer.apply(tf.zeros([1, 3, 8])) as tf.Tensor);
    expect(layer.weights.map((w) => [w.originalName, w.shape])).toEqual([
      ['a/qkv/kernel', [8, 24]],
      ['a/qkv/bias', [24]],
      ['a/proj/kernel', [8, 8]],
      ['a/proj/bias', [8]],
    ]);
    expect(layer.countParams()).toBe(4 * 64 + 4 * 8);
    const noBias = new MultiHeadSelfAttention({ numHeads: 2, qkvBias: false });
    tf.tidy(() => noBias.apply(tf.zeros([1, 3, 8])) as tf.Tensor);
    expect(noBias.countParams()).toBe(4 * 64 + 8);
    layer.dispose();
    noBias.dispose();
  });

  it('drops attention probabilities in training only, with inverted scaling', () => {
    const layer = new MultiHeadSelfAttention({
      numHeads: 2,
      attentionDropout: 0.5,
      seed: 4,
      name: 'attn',
    });
    const x = tf.randomNormal([1, 4, 4], 0, 1, 'float32', 1);
    const inference = layer.apply(x) as tf.Tensor;
    const explicitOff = layer.apply(x, { training: false }) as tf.Tensor;
    expect(Array.from(explicitOff.dataSync())).toEqual(Array.from(inference.dataSync()));
    // With the rate at 0, training is inference: so the difference below is the dropout's.
    layer.attentionDrop.rate = 0;
    const trainingNoDrop = layer.apply(x, { training: true }) as tf.Tensor;
    expectClose(trainingNoDrop.dataSync(), inference.dataSync(), { atol: 1e-6 });
    layer.attentionDrop.rate = 0.5;
    const passes = 400;
    const n = inference.size;
    const sum = new Float64Array(n);
    const sumSq = new Float64Array(n);
    let differing = 0;
    for (let t = 0; t < passes; t++) {
      const y = tf.tidy(() => (layer.apply(x, { training: true }) as tf.Tensor).dataSync());
      const ref = inference.dataSync();
      if (y.some((v, i) => Math.abs(v - (ref[i] as number)) > 1e-6)) differing++;
      y.forEach((v, i) => {
        sum[i] = (sum[i] as number) + v;
        sumSq[i] = (sumSq[i] as number) + v * v;
      });
    }
    expect(differing).toBeGreaterThan(passes * 0.9);
    // Dropout keeps the expectation: each output's mean over passes is within 5 standard errors
    // of the inference output. Without the 1 / (1 - rate) scaling it would be off by about half.
    const ref = inference.dataSync();
    for (let i = 0; i < n; i++) {
      const mean = (sum[i] as number) / passes;
      const sd = Math.sqrt(Math.max((sumSq[i] as number) / passes - mean * mean, 0));
      expect(Math.abs(mean - (ref[i] as number)), `output ${i}`).toBeLessThanOrEqual(
        (5 * sd) / Math.sqrt(passes) + 1e-6,
      );
    }
    tf.dispose([x, inference, explicitOff, trainingNoDrop]);
    layer.dispose();
  });

  it('exposes its attention dropout as a dropout site that applyRates finds', () => {
    const layer = new MultiHeadSelfAttention({ numHeads: 1, attentionDropout: 0.1, name: 'x' });
    const [site] = layer.dropoutSites();
    expect(site).toBe(layer.attentionDrop);
    expect(site).toBeInstanceOf(Dropout);
    expect(site?.name).toBe('x_drop');
    expect(findDropoutSites(layer)).toEqual([layer.attentionDrop]);
    const named = new MultiHeadSelfAttention({ numHeads: 1, attentionDropoutName: 'b/attn_drop' });
    expect(named.attentionDrop.name).toBe('b/attn_drop');
    expect(named.attentionDrop.rate).toBe(0);
  });

  it('saves its config, current rate included, and reloads inside a model', async () => {
    const inp = tfl.input({ shape: [3, 4] });
    const layer = new MultiHeadSelfAttention({
      numHeads: 2,
      attentionDropout: 0.1,
      attentionDropoutName: 'blk/attn_drop',
      qkvBias: false,
      seed: 9,
      name: 'blk/attn',
    });
    const model = tfl.model({ inputs: inp, outputs: layer.apply(inp) as tfl.SymbolicTensor });
    layer.attentionDrop.rate = 0.3;
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'blk/attn',
      numHeads: 2,
      qkvBias: false,
      seed: 9,
      attentionDrop: { name: 'blk/attn_drop', rate: 0.3 },
    });
    const loaded = await saveAndLoad(model);
    const again = loaded.getLayer('blk/attn') as MultiHeadSelfAttention;
    expect(again).toBeInstanceOf(MultiHeadSelfAttention);
    expect(again.getConfig()).toEqual(config);
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects bad arguments with InvalidArgumentError', () => {
    expect(() => new MultiHeadSelfAttention({ numHeads: 0 })).toThrow(InvalidArgumentError);
    expect(() => new MultiHeadSelfAttention({ numHeads: 1.5 })).toThrow(/numHeads/);
    expect(() => new MultiHeadSelfAttention({ numHeads: 2, attentionDropout: 1 })).toThrow(
      /attentionDropout/,
    );
    expect(
      () => new MultiHeadSelfAttention({ numHeads: 2, qkvBias: 'yes' as unknown as boolean }),
    ).toThrow(/qkvBias/);
    const layer = new MultiHeadSelfAttention({ numHeads: 3 });
    const before = tf.memory().numTensors;
    expect(() => tf.tidy(() => layer.apply(tf.zeros([1, 2, 8])) as tf.Tensor)).toThrow(
      InvalidArgumentError,
    );
    expect(() => tf.tidy(() => layer.apply(tf.zeros([1, 2, 8])) as tf.Tensor)).toThrow(
      /width: received 8; expected a multiple/,
    );
    expect(() =>
      tf.tidy(
        () => new MultiHeadSelfAttention({ numHeads: 1 }).apply(tf.zeros([2, 8])) as tf.Tensor,
      ),
    ).toThrow(/inputShape/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
