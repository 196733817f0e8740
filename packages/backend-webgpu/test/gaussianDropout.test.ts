import {
  DropkitGaussianDropout,
  type GaussianDropoutAttrs,
  gaussianDropout,
  gaussianDropoutImpl,
  normalNoise,
  resolveSeed,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randInt, randomKey, rng, runKernel, take, testValues, useWebGpu } from './helpers.js';

useWebGpu();

/**
 * The agreement the kernel promises: 1e-6 relative to the size of the terms of
 * x * (1 + s * z), i.e. |got - ref| <= 1e-6 |x| (1 + s |z|). Relative to the output alone it
 * cannot hold where 1 + s z nearly cancels, since z itself is only known to float32 precision.
 */
function expectGaussianClose(
  got: Float32Array,
  ref: Float32Array,
  x: Float32Array,
  z: Float32Array,
  s: number,
  context: string,
): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = ref[i] as number;
    const g = got[i] as number;
    if (!Number.isFinite(e)) {
      expect(
        Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e)),
        `${context} element ${i}: ${g} vs ${e}`,
      ).toBe(true);
      continue;
    }
    const scale = Math.abs(x[i] as number) * (1 + s * Math.abs(z[i] as number));
    const err = scale === 0 ? Math.abs(g - e) : Math.abs(g - e) / scale;
    worst = Math.max(worst, err);
    if (!(err <= 1e-6)) expect.fail(`${context} element ${i}: ${g} vs ${e} (x ${x[i]}, z ${z[i]})`);
  }
  return worst;
}

describe('DropkitGaussianDropout on webgpu', () => {
  it('agrees with gaussianDropoutImpl to 1e-6 for 60 random shapes, rates and keys', async () => {
    const r = rng(21);
    let vec4 = 0;
    for (let i = 0; i < 60; i++) {
      const shape = Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 9));
      const n = shape.reduce((a, b) => a * b, 1);
      if (n % 4 === 0) vec4++;
      const rate = Math.round(r() * 990) / 1000;
      const attrs: GaussianDropoutAttrs = {
        stddev: Math.fround(Math.sqrt(rate / (1 - rate))),
        ...randomKey(r),
      };
      const xs = testValues(r, n);
      const x = tf.tensor(xs, shape);
      const y = await take(runKernel(DropkitGaussianDropout, { x }, attrs));
      x.dispose();
      expectGaussianClose(
        y,
        gaussianDropoutImpl(xs, attrs),
        xs,
        normalNoise(n, attrs),
        attrs.stddev,
        `[${shape}] rate ${rate}`,
      );
    }
    expect(vec4).toBeGreaterThanOrEqual(10);
    expect(60 - vec4).toBeGreaterThanOrEqual(10);
  });

  it('agrees to 1e-6 on 2^18 + 3 elements of ones: the multipliers themselves', async () => {
    const n = (1 << 18) + 3;
    const attrs: GaussianDropoutAttrs = {
      stddev: Math.fround(Math.sqrt(0.5 / 0.5)),
      ...resolveSeed(123),
    };
    const ones = new Float32Array(n).fill(1);
    const x = tf.ones([n]);
    const y = await take(gaussianDropout(x, { rate: 0.5, seed: 123 }));
    x.dispose();
    const worst = expectGaussianClose(
      y,
      gaussianDropoutImpl(ones, attrs),
      ones,
      normalNoise(n, attrs),
      1,
      'ones',
    );
    // Not a bound the kernel promises; a sanity check that the custom log and cos do their job.
    expect(worst).toBeLessThan(1e-6);
  });

  it('has mean 1 and variance rate / (1 - rate) as multipliers', async () => {
    const n = 1 << 17;
    const x = tf.ones([n]);
    const y = await take(gaussianDropout(x, { rate: 0.2, seed: 4 }));
    x.dispose();
    const mean = y.reduce((s, v) => s + v, 0) / n;
    const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.01);
  });
});
