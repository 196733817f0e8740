import { useBackend } from '@dropkit/backends';
import { expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrainingSession,
  DEFAULT_RUN_CONFIG,
  registerWasmConvGradient,
} from '../src/training/index.ts';
import { loadData } from './helpers.ts';

interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same';
}

const CASES: readonly Case[] = [
  { name: '3x3 same, stride 1', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 valid, stride 2', x: [2, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  // The ViT's patch embedding: kernel = stride = patch.
  { name: '7x7 patches', x: [3, 28, 28, 1], filter: [7, 7, 1, 6], strides: 7, pad: 'valid' },
  {
    name: '2x3 same, strides 2x1',
    x: [1, 5, 7, 2],
    filter: [2, 3, 2, 3],
    strides: [2, 1],
    pad: 'same',
  },
];

/** dLoss/dFilter of sum(conv2d(x, f) * w) for x, f, w drawn from `seed` (not 0: tfjs reads 0 as no seed). */
function filterGradient(c: Case, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed);
    const f = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1);
    const y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad);
    const w = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
    const grad = tf.grad((filter: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad), w)),
    );
    return grad(f).dataSync() as Float32Array;
  });
}

const reference = new Map<string, Float32Array>();

beforeAll(async () => {
  await useBackend('cpu');
  for (const [i, c] of CASES.entries()) reference.set(c.name, filterGradient(c, 10 * i + 1));
  await useBackend('wasm');
});

afterAll(async () => {
  await useBackend('cpu');
});

describe('registerWasmConvGradient', () => {
  it('registers once', () => {
    const gradient = () =>
      tf.tidy(() =>
        tf.grad((f: tf.Tensor) =>
          tf.sum(tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')),
        )(tf.ones([2, 2, 1, 1])),
      );
    // tfjs 4.22's wasm backend has no such kernel: what this registration is for.
    expect(gradient).toThrow(/Conv2DBackpropFilter/);
    expect(registerWasmConvGradient()).toBe(true);
    expect(registerWasmConvGradient()).toBe(false);
    // dW of sum(conv(ones, f)) over a 3x3 input and a 2x2 kernel: each tap sees 4 positions.
    expect(Array.from(gradient().dataSync())).toEqual([4, 4, 4, 4]);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))(
    'matches the cpu kernel: %s',
    async (_name, c, i) => {
      const got = await expectNoLeaks(() => filterGradient(c, 10 * i + 1));
      expectClose(got, reference.get(c.name) as Float32Array, { rtol: 1e-4, atol: 1e-4 });
    },
  );

  it.each(['vit', 'cnn'] as const)('lets the %s train on wasm, without leaks', async (model) => {
    const data = await loadData('mnist');
    const config = { ...DEFAULT_RUN_CONFIG, model, steps: 3, cutoff: 2, batchSize: 8 };
    const options = {
      diagnosticsK: 2,
      diagnosticsExamples: 16,
      evalTrainExamples: 16,
      evalTestExamples: 16,
    };
    const warm = await createTrainingSession(config, data, options);
    await warm.step();
    warm.dispose();
    const losses = await expectNoLeaks(async () => {
      const session = await createTrainingSession(config, data, options);
      const out = [];
      for (let s = 0; s < 3; s++) out.push((await session.step()).loss);
      await session.diagnose();
      session.evaluate();
      session.dispose();
      return out;
    });
    expect(tf.getBackend()).toBe('wasm');
    for (const l of losses) expect(Number.isFinite(l) && l > 0).toBe(true);
  });
});
