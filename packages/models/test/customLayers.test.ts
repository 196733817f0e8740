import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  ClassTokenPooling,
  LayerNorm,
  LayerScale,
  MultiHeadSelfAttention,
  PositionEmbedding,
  registerModels,
} from '../src/index.js';
import { saveAndLoad } from './helpers.js';

/** Builds a one-layer model around `layer`, so the layer goes through save and load. */
async function roundTrip(layer: tfl.layers.Layer, shape: number[]) {
  const inp = tfl.input({ shape });
  const model = tfl.model({ inputs: inp, outputs: layer.apply(inp) as tfl.SymbolicTensor });
  const loaded = await saveAndLoad(model);
  const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 1);
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  expect(loaded.layers[1]?.getConfig()).toEqual(layer.getConfig());
  expect(loaded.layers[1]?.getClassName()).toBe(layer.getClassName());
  tf.dispose([x, a, b]);
  model.dispose();
  loaded.dispose();
}

describeWithBackends('custom layers', ({ it }) => {
  it('PositionEmbedding adds a learned row per token, after the class token', async () => {
    const layer = new PositionEmbedding({ classToken: true, name: 'pos' });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 2);
    tf.tidy(() => layer.apply(x) as tf.Tensor);
    const [position, token] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D];
    expect(position.shape).toEqual([4, 4]);
    expect(token.shape).toEqual([4]);
    // Give the weights values far from their tiny init, so each term shows.
    tf.tidy(() =>
      layer.setWeights([
        tf.randomNormal([4, 4], 0, 1, 'float32', 3),
        tf.randomNormal([4], 0, 1, 'float32', 4),
      ]),
    );
    const [pos, cls] = layer.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const y = await expectNoLeaks(() =>
      tf.tidy(() => (layer.apply(x) as tf.Tensor).arraySync() as number[][][]),
    );
    const xs = x.arraySync() as number[][][];
    for (let b = 0; b < 2; b++) {
      expectClose(
        y[b]?.[0] as number[],
        cls.map((v, c) => v + (pos[0]?.[c] as number)),
      );
      for (let t = 0; t < 3; t++) {
        expectClose(
          y[b]?.[t + 1] as number[],
          (xs[b]![t] as number[]).map((v, c) => v + (pos[t + 1]?.[c] as number)),
        );
      }
    }
    await roundTrip(new PositionEmbedding({ classToken: true }), [3, 4]);
    await roundTrip(new PositionEmbedding(), [3, 4]);
    tf.dispose([x, position, token]);
  });

  it('PositionEmbedding without a class token keeps the token count', () => {
    const layer = new PositionEmbedding();
    const inp = tfl.input({ shape: [5, 6] });
    const out = layer.apply(inp) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 5, 6]);
    expect(layer.countParams()).toBe(30);
    expect(
      (new PositionEmbedding({ classToken: true }).apply(inp) as tfl.SymbolicTensor).shape,
    ).toEqual([null, 6, 6]);
  });

  it('ClassTokenPooling reads out the first token', async () => {
    const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5);
    const layer = new ClassTokenPooling();
    const y = await expectNoLeaks(() =>
      tf.tidy(() => (layer.apply(x) as tf.Tensor).arraySync() as number[][]),
    );
    const xs = x.arraySync() as number[][][];
    expect(y).toEqual(xs.map((row) => row[0]));
    expect((layer.apply(tfl.input({ shape: [4, 2] })) as tfl.SymbolicTensor).shape).toEqual([
      null,
      2,
    ]);
    await roundTrip(new ClassTokenPooling(), [4, 2]);
    tf.dispose(x);
  });

  it('LayerScale multiplies each channel by its learned scale', async () => {
    const layer = new LayerScale({ initValue: 0.25 });
    const x = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 6);
    layer.build(x.shape); // creates its one weight, which is no leak
    const y = await expectNoLeaks(() => tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync()));
    expectClose(
      y,
      Float32Array.from(x.dataSync(), (v) => v * 0.25),
    );
    tf.tidy(() => layer.setWeights([tf.tensor1d([1, -2, 3])]));
    const scaled = tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync());
    expectClose(
      scaled,
      Float32Array.from(x.dataSync(), (v, i) => v * [1, -2, 3][i % 3]!),
    );
    expect(layer.getConfig()).toMatchObject({ initValue: 0.25 });
    expect(new LayerScale().initValue).toBe(1e-6);
    await roundTrip(new LayerScale({ initValue: 0.5 }), [3]);
    tf.dispose(x);
  });

  it('LayerNorm matches tf.layers.layerNormalization, forward and backward', async () => {
    const x = tf.randomNormal([3, 5, 8], 2, 3, 'float32', 11);
    const ours = new LayerNorm({ epsilon: 1e-3 });
    const theirs = tfl.layers.layerNormalization({ axis: -1, epsilon: 1e-3 });
    ours.build(x.shape);
    theirs.build(x.shape);
    // The same non-trivial gamma and beta in both, so every term of the formula shows.
    const gamma = tf.randomUniform([8], 0.5, 2, 'float32', 12);
    const beta = tf.randomNormal([8], 0, 1, 'float32', 13);
    ours.setWeights([gamma, beta]);
    theirs.setWeights([gamma, beta]);
    const y = await expectNoLeaks(() => tf.tidy(() => (ours.apply(x) as tf.Tensor).dataSync()));
    expectClose(
      y,
      tf.tidy(() => (theirs.apply(x) as tf.Tensor).dataSync()),
      {
        atol: 1e-5,
        rtol: 1e-5,
      },
    );
    // Each row normalized: mean beta, and (y - beta) / gamma has unit variance.
    const row = Array.from(
      y.slice(0, 8),
      (v, i) => (v - beta.dataSync()[i]!) / gamma.dataSync()[i]!,
    );
    expect(Math.abs(row.reduce((a, b) => a + b, 0) / 8)).toBeLessThan(1e-5);
    expect(Math.abs(row.reduce((a, b) => a + b * b, 0) / 8 - 1)).toBeLessThan(1e-3);

    // Gradients with respect to the input and both weights, through a non-uniform upstream.
    const w = tf.randomNormal([3, 5, 8], 0, 1, 'float32', 14);
    const gradsOf = (layer: tfl.layers.Layer) =>
      tf.tidy(() => {
        const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar,
          vars,
        );
        const dx = tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(input) as tf.Tensor, w)),
        )(x);
        return [dx, ...vars.map((v) => grads[v.name] as tf.Tensor)].map((t) => t.dataSync());
      });
    const a = gradsOf(ours);
    const b = gradsOf(theirs);
    expect(a).toHaveLength(3);
    for (let i = 0; i < 3; i++) expectClose(a[i]!, b[i]!, { atol: 1e-4, rtol: 1e-4 });

    // The point of the layer: its backward pass is a fixed number of kernels, where tfjs-layers'
    // tiles its statistics and its tile gradient runs a slice and an add per repetition.
    const kernelsPerBackward = async (layer: tfl.layers.Layer, shape: number[]) => {
      const input = tf.randomNormal(shape, 0, 1, 'float32', 15);
      const profile = await tf.profile(() =>
        tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(input),
      );
      tf.dispose([input, profile.result as tf.Tensor]);
      return profile.kernels.length;
    };
    // (The repetitions tile the mean and variance across the channels.)
    const small = await kernelsPerBackward(new LayerNorm(), [2, 3, 8]);
    expect(await kernelsPerBackward(new LayerNorm(), [4, 12, 64])).toBe(small);
    const norm = () => tfl.layers.layerNormalization({ axis: -1 });
    expect(await kernelsPerBackward(norm(), [4, 12, 64])).toBeGreaterThanOrEqual(
      (await kernelsPerBackward(norm(), [2, 3, 8])) + 2 * 2 * (64 - 8),
    );
    expect(ours.getConfig()).toMatchObject({ epsilon: 1e-3 });
    await roundTrip(new LayerNorm({ epsilon: 1e-5 }), [4]);
    tf.dispose([x, gamma, beta, w]);
  });

  it('the custom layers reject bad arguments and shapes with InvalidArgumentError', () => {
    expect(() => new LayerScale({ initValue: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new LayerNorm({ epsilon: 0 })).toThrow(/epsilon/);
    expect(() => new LayerNorm({ epsilon: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new PositionEmbedding({ classToken: 1 as unknown as boolean })).toThrow(
      /classToken/,
    );
    expect(() => new PositionEmbedding().apply(tfl.input({ shape: [4] }))).toThrow(/inputShape/);
    expect(() => new ClassTokenPooling().apply(tfl.input({ shape: [4] }))).toThrow(
      InvalidArgumentError,
    );
  });

  it('registerModels registers every custom class and the dropkit layers, idempotently', () => {
    registerModels();
    registerModels();
    const names = Object.keys(tf.serialization.SerializationMap.getMap().classNameMap);
    for (const cls of [
      MultiHeadSelfAttention,
      PositionEmbedding,
      ClassTokenPooling,
      LayerScale,
      LayerNorm,
    ]) {
      expect(names).toContain(cls.className);
      expect(cls.className.startsWith('Dropkit')).toBe(true);
    }
    expect(names).toContain('DropkitDropout');
    expect(names).toContain('DropkitDropPath');
  });
});
