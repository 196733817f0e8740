import { expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasm, registerWasmConvGradient } from '../src/index.js';

interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number;
}

// (tfjs-core's conv2d gradient refuses dilations > 1, so there is no dilated case to test.)
const CASES: readonly Case[] = [
  { name: '3x3 same, stride 1', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 valid, stride 2', x: [2, 9, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  // A ViT's patch embedding: kernel = stride = patch.
  { name: '4x4 patches', x: [3, 28, 28, 1], filter: [4, 4, 1, 6], strides: 4, pad: 'valid' },
  {
    name: '2x3 same, strides 2x1',
    x: [1, 5, 7, 2],
    filter: [2, 3, 2, 3],
    strides: [2, 1],
    pad: 'same',
  },
  { name: 'explicit padding 1', x: [2, 6, 5, 2], filter: [3, 3, 2, 2], strides: 1, pad: 1 },
];

/** dLoss/dFilter of sum(conv2d(x, f) * w), x, f and w drawn from `seed`. */
function filterGradient(c: Case, seed: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const f = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const conv = (filter: tf.Tensor) => tf.conv2d(x, filter as tf.Tensor4D, c.strides, c.pad);
    const w = tf.randomNormal(conv(f).shape, 0, 1, 'float32', seed + 2);
    return tf
      .grad((filter: tf.Tensor) => tf.sum(tf.mul(conv(filter), w)))(f)
      .dataSync() as Float32Array;
  });
}

const reference = new Map<string, Float32Array>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [i, c] of CASES.entries()) reference.set(c.name, filterGradient(c, 10 * i + 1));
  await initWasm();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('registerWasmConvGradient', () => {
  it('fills the gap in tfjs-backend-wasm 4.22, once; initWasm registers it', () => {
    const gradient = () =>
      tf.tidy(() =>
        tf.grad((f: tf.Tensor) =>
          tf.sum(tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid')),
        )(tf.ones([2, 2, 1, 1])),
      );
    // initWasm registered it: a second registration is a no-op.
    expect(registerWasmConvGradient()).toBe(false);
    // Without it, tfjs's wasm backend has no such kernel: what the registration is for.
    const config = tf.getKernel('Conv2DBackpropFilter', 'wasm') as tf.KernelConfig;
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    try {
      expect(gradient).toThrow(/Conv2DBackpropFilter/);
      expect(registerWasmConvGradient()).toBe(true);
    } finally {
      if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) tf.registerKernel(config);
    }
    // dW of sum(conv(ones, f)) over a 3x3 input and a 2x2 kernel: each tap sees 4 positions.
    expect(Array.from(gradient().dataSync())).toEqual([4, 4, 4, 4]);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))(
    'matches the cpu backend: %s',
    async (_name, c, i) => {
      const got = await expectNoLeaks(() => filterGradient(c, 10 * i + 1));
      expectClose(got, reference.get(c.name) as Float32Array, { rtol: 1e-4, atol: 1e-4 });
    },
  );

  it('rejects NCHW with a message naming the format', () => {
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm') as tf.KernelConfig;
    const x = tf.ones([1, 2, 4, 4]);
    const dy = tf.ones([1, 2, 3, 3]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NCHW',
        filterShape: [2, 2, 2, 2],
      } as never),
    ).toThrow(/NHWC only, not NCHW/);
    expect(kernel.kernelName).toBe('Conv2DBackpropFilter');
    tf.dispose([x, dy]);
  });
});
