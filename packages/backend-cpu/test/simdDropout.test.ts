import {
  DropkitDropout,
  type DropoutAttrs,
  dropout,
  dropoutImpl,
  Generator,
  rateThreshold,
  resolveSeed,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initCpu, simdDropoutCpuConfig, simdDropoutImpl } from '../src/index.js';

/** A small seeded PRNG for the test's own choices (shapes, rates, keys). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

function expectSameBits(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  const x = bits(a);
  const y = bits(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) expect.fail(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

describe('simdDropoutImpl (dropout in WebAssembly SIMD on the cpu backend)', () => {
  it('is bit-identical to the TypeScript reference on 60 random sizes, rates and keys', () => {
    const rand = lcg(7);
    for (let c = 0; c < 60; c++) {
      // Sizes around and off the 4-, 16- and 32-element steps, up to ~70K.
      const n = c < 40 ? 1 + Math.floor(rand() * 200) : Math.floor(rand() * 70_000) + 1;
      const x = Float32Array.from({ length: n }, () => (rand() - 0.5) * 100);
      if (n > 3) x[1] = Number.NaN;
      const rate = Math.floor(rand() * 100) / 100;
      const key = resolveSeed(
        Generator.fromState({
          seed: Math.floor(rand() * 2 ** 53),
          nextStream: Math.floor(rand() * 2 ** 40),
        }),
      );
      const attrs: DropoutAttrs = {
        ...key,
        threshold: rateThreshold(rate),
        scale: 1 / (1 - rate),
        noiseShape: [n],
      };
      expectSameBits(
        simdDropoutImpl(x, [n], attrs),
        dropoutImpl(x, [n], attrs),
        `n=${n} p=${rate}`,
      );
    }
  });

  it('grows its memory for a large input and stays right for small ones after it', () => {
    const attrs = (n: number): DropoutAttrs => ({
      ...resolveSeed(99),
      threshold: rateThreshold(0.3),
      scale: 1 / 0.7,
      noiseShape: [n],
    });
    for (const n of [17, 3 * 1024 * 1024 + 5, 33]) {
      const x = Float32Array.from({ length: n }, (_, i) => (i % 13) - 6);
      expectSameBits(simdDropoutImpl(x, [n], attrs(n)), dropoutImpl(x, [n], attrs(n)), `n=${n}`);
    }
  });

  it('hands broadcast noise shapes to the reference', () => {
    const x = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i + 1);
    const attrs: DropoutAttrs = {
      ...resolveSeed(5),
      threshold: rateThreshold(0.5),
      scale: 2,
      noiseShape: [2, 1, 4],
    };
    expectSameBits(simdDropoutImpl(x, [2, 3, 4], attrs), dropoutImpl(x, [2, 3, 4], attrs), 'bcast');
  });

  it('initCpu registers it by default and puts the reference back with simd: false', async () => {
    const on = await initCpu();
    expect(on.simd).toBe(true);
    expect(tf.getKernel(DropkitDropout, 'cpu')?.kernelFunc).toBe(simdDropoutCpuConfig.kernelFunc);
    const x = tf.randomNormal([3, 1001], 0, 1, 'float32', 3);
    const withSimd = await expectNoLeaks(async () => {
      const y = dropout(x, { rate: 0.2, seed: 8 });
      const g = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, { rate: 0.2, seed: 8 })))(x);
      const out = [await y.data(), await g.data()] as Float32Array[];
      tf.dispose([y, g]);
      return out;
    });
    const off = await initCpu({ simd: false });
    expect(off.simd).toBe(false);
    expect(off.registered).toEqual([DropkitDropout]);
    expect(tf.getKernel(DropkitDropout, 'cpu')?.kernelFunc).not.toBe(
      simdDropoutCpuConfig.kernelFunc,
    );
    const y = dropout(x, { rate: 0.2, seed: 8 });
    const g = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, { rate: 0.2, seed: 8 })))(x);
    expectSameBits(withSimd[0]!, (await y.data()) as Float32Array, 'forward');
    expectSameBits(withSimd[1]!, (await g.data()) as Float32Array, 'gradient');
    tf.dispose([x, y, g]);
    await initCpu();
  });
});
