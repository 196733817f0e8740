import {
  type AlphaDropoutAttrs,
  alphaDropout,
  alphaDropoutCoefficients,
  alphaDropoutImpl,
  DropkitAlphaDropout,
  DropkitDropout,
  type DropoutAttrs,
  dropout,
  dropoutImpl,
  dropPath,
  rateThreshold,
  resolveSeed,
  spatialDropout2d,
  uniform24,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  expectBitIdentical,
  randInt,
  randomKey,
  rng,
  runKernel,
  take,
  testValues,
  useWebGpu,
} from './helpers.js';

useWebGpu();

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A shape of rank 1 to 4 with sides 1 to 9 (so sizes are often not multiples of 4). */
function randomShape(r: () => number): number[] {
  return Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 9));
}

/** Each dimension of x kept or broadcast (1) at random. */
function randomNoiseShape(r: () => number, shape: readonly number[]): number[] {
  return shape.map((d) => (r() < 0.5 ? 1 : d));
}

/** A rate with the ends included now and then: threshold 0 drops nothing, 2^24 everything. */
function randomRate(r: () => number): number {
  const p = r();
  return p < 0.05 ? 0 : p > 0.95 ? 1 : Math.round(r() * 1000) / 1000;
}

interface Case {
  readonly shape: number[];
  readonly noiseShape: number[];
  readonly rate: number;
  readonly key: ReturnType<typeof randomKey>;
  readonly x: Float32Array;
}

/** `count` cases with full-size masks, `count` with broadcast ones, and some fixed layouts. */
function cases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  const add = (shape: number[], noiseShape: number[]) =>
    out.push({
      shape,
      noiseShape,
      rate: randomRate(r),
      key: randomKey(r),
      x: testValues(r, size(shape)),
    });
  for (let i = 0; i < count; i++) {
    const shape = randomShape(r);
    add(shape, shape.slice());
  }
  for (let i = 0; i < count; ) {
    const shape = randomShape(r);
    const noiseShape = randomNoiseShape(r, shape);
    if (size(noiseShape) === size(shape)) continue; // not a broadcast after all
    add(shape, noiseShape);
    i++;
  }
  // Spatial dropout NHWC and NCHW, drop path, each with an innermost group that is a multiple
  // of 4 (one block per invocation) and one that is not; a scalar mask; a rank-6 tensor.
  add([2, 5, 3, 6], [2, 1, 1, 6]);
  add([3, 4, 5, 8], [3, 1, 1, 8]);
  add([3, 6, 5, 3], [3, 6, 1, 1]);
  add([3, 6, 4, 2], [3, 6, 1, 1]);
  add([7, 3, 5], [7, 1, 1]);
  add([7, 12], [7, 1]);
  add([3, 4, 5], [1, 1, 1]);
  add([2, 3, 2, 3, 2, 3], [2, 1, 2, 1, 2, 1]);
  return out;
}

describe('DropkitDropout on webgpu', () => {
  const all = cases(1, 60);

  it('uses both the vec4 and the scalar paths, full and broadcast masks, across the cases', () => {
    const full = all.filter((c) => size(c.noiseShape) === size(c.shape));
    expect(full.filter((c) => size(c.shape) % 4 === 0).length).toBeGreaterThanOrEqual(10);
    expect(full.filter((c) => size(c.shape) % 4 !== 0).length).toBeGreaterThanOrEqual(10);
    expect(all.length - full.length).toBeGreaterThanOrEqual(60);
  });

  it('is bit-identical to dropoutImpl for 125 random shapes, noise shapes, rates and keys', async () => {
    for (const c of all) {
      const attrs: DropoutAttrs = {
        threshold: rateThreshold(c.rate),
        scale: Math.fround(c.rate < 1 ? 1 / (1 - c.rate) : 1),
        noiseShape: c.noiseShape,
        ...c.key,
      };
      const x = tf.tensor(c.x, c.shape);
      const y = await take(runKernel(DropkitDropout, { x }, attrs));
      x.dispose();
      expectBitIdentical(
        y,
        dropoutImpl(c.x, c.shape, attrs),
        `[${c.shape}] noise [${c.noiseShape}] rate ${c.rate}`,
      );
    }
  });

  it('is bit-identical on sizes that span many workgroups and end mid-invocation', async () => {
    const r = rng(2);
    // vec4 path: 2 groups per invocation, 256 invocations per workgroup; scalar path: 4 elements.
    for (const n of [4 * (512 * 3 + 1), 4 * (512 * 2 + 256 + 3), 4 * 777 + 1, 4 * 1025 + 3]) {
      const xs = testValues(r, n);
      const attrs: DropoutAttrs = {
        threshold: rateThreshold(0.4),
        scale: Math.fround(1 / 0.6),
        noiseShape: [n],
        ...randomKey(r),
      };
      const x = tf.tensor(xs, [n]);
      const y = await take(runKernel(DropkitDropout, { x }, attrs));
      x.dispose();
      expectBitIdentical(y, dropoutImpl(xs, [n], attrs), `n = ${n}`);
    }
  });

  it('drops exactly when u < threshold: u itself is kept, u + 1 drops (the compare and the >>> 8)', async () => {
    const r = rng(5);
    const n = 64;
    const key = randomKey(r);
    const u = uniform24(n, key);
    const x = tf.ones([n]);
    for (const i of [0, 1, 2, 3, 17, 42, 63]) {
      const at = async (threshold: number) =>
        (
          await take(
            runKernel(DropkitDropout, { x }, { threshold, scale: 2, noiseShape: [n], ...key }),
          )
        )[i];
      expect(await at(u[i] as number)).toBe(2);
      expect(await at((u[i] as number) + 1)).toBe(0);
    }
    x.dispose();
  });

  it('through the ops (dropout, spatialDropout2d, dropPath) matches the cpu reference', async () => {
    const r = rng(3);
    const xs = testValues(r, 2 * 6 * 5 * 4, false);
    const x = tf.tensor(xs, [2, 6, 5, 4]);
    const ref = (noiseShape: number[], rate: number, seed: number) =>
      dropoutImpl(xs, x.shape, {
        threshold: rateThreshold(rate),
        scale: Math.fround(1 / (1 - rate)),
        noiseShape,
        ...resolveSeed(seed),
      });
    expectBitIdentical(await take(dropout(x, { rate: 0.3, seed: 8 })), ref([2, 6, 5, 4], 0.3, 8));
    expectBitIdentical(
      await take(spatialDropout2d(x, { rate: 0.5, seed: 9 })),
      ref([2, 1, 1, 4], 0.5, 9),
    );
    expectBitIdentical(
      await take(dropPath(x, { rate: 0.25, seed: 10 })),
      ref([2, 1, 1, 1], 0.25, 10),
    );
    x.dispose();
  });

  it('drops a fraction within 5 sigma of the rate on a large tensor', async () => {
    const n = 1 << 18;
    const ones = tf.ones([n]);
    const y = await take(dropout(ones, { rate: 0.3, seed: 77 }));
    ones.dispose();
    const dropped = y.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
    expect(Math.abs(dropped - 0.3 * n)).toBeLessThan(5 * Math.sqrt(n * 0.3 * 0.7));
  });
});

describe('DropkitAlphaDropout on webgpu', () => {
  it('is bit-identical to alphaDropoutImpl for 125 random shapes, noise shapes, rates and keys', async () => {
    for (const c of cases(4, 60)) {
      const rate = Math.min(c.rate, 0.999);
      const { a, b, alphaP } = alphaDropoutCoefficients(rate);
      const attrs: AlphaDropoutAttrs = {
        threshold: rateThreshold(c.rate),
        a: Math.fround(a),
        b: Math.fround(b),
        alphaP: Math.fround(alphaP),
        noiseShape: c.noiseShape,
        ...c.key,
      };
      const x = tf.tensor(c.x, c.shape);
      const y = await take(runKernel(DropkitAlphaDropout, { x }, attrs));
      x.dispose();
      expectBitIdentical(
        y,
        alphaDropoutImpl(c.x, c.shape, attrs),
        `[${c.shape}] noise [${c.noiseShape}] rate ${c.rate}`,
      );
    }
  });

  it('keeps mean 0 and variance 1 on standard normal input (the Keras formula, not tfjs-layers)', async () => {
    const n = 1 << 17;
    const x = tf.randomNormal([n], 0, 1, 'float32', 3);
    const y = await take(alphaDropout(x, { rate: 0.3, seed: 5 }));
    x.dispose();
    const mean = y.reduce((s, v) => s + v, 0) / n;
    const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
