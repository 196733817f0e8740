import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  ClassTokenPooling,
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

  it('the custom layers reject bad arguments and shapes with InvalidArgumentError', () => {
    expect(() => new LayerScale({ initValue: Number.NaN })).toThrow(InvalidArgumentError);
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
    for (const cls of [MultiHeadSelfAttention, PositionEmbedding, ClassTokenPooling, LayerScale]) {
      expect(names).toContain(cls.className);
      expect(cls.className.startsWith('Dropkit')).toBe(true);
    }
    expect(names).toContain('DropkitDropout');
    expect(names).toContain('DropkitDropPath');
  });
});
