import {
  DropkitGaussianDropout,
  DropkitStandout,
  gaussianDropout,
  gaussianDropoutImpl,
  standout,
  standoutImpl,
  standoutKeepProbability,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import {
  expectBitIdentical,
  onBackend,
  randomKey,
  randomShape,
  randomValues,
  rng,
  runKernel,
} from './helpers.js';

beforeAll(async () => {
  await initWasm();
});

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('DropkitGaussianDropout on wasm', () => {
  it('matches the cpu reference to 1e-6 relative on 60 random shapes, rates and keys', () =>
    expectNoLeaks(() => {
      const next = rng(21);
      let identical = 0;
      let total = 0;
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const n = sizeOf(shape);
        const rate = next() * 0.95;
        const attrs = { stddev: Math.fround(Math.sqrt(rate / (1 - rate))), ...randomKey(next) };
        const values = randomValues(next, n);
        const got = runKernel(DropkitGaussianDropout, { x: { values, shape } }, attrs);
        const want = gaussianDropoutImpl(values, attrs);
        for (let i = 0; i < n; i++) {
          const g = got[i] as number;
          const w = want[i] as number;
          if (Math.abs(g - w) > 1e-6 * Math.abs(w)) {
            expect.fail(`case ${c} [${shape}] element ${i}: ${g} vs ${w}`);
          }
          total++;
          if (Object.is(g, w)) identical++;
        }
      }
      // The float64 noise agrees to ~1e-16 (rng.test.ts), so in practice every value is the
      // reference's bit for bit; a handful of float32 rounding ties would be allowed here.
      expect(identical / total).toBeGreaterThan(0.9999);
    }));

  it('gives the cpu backend values through the public op, and mean-one noise of the right spread', async () =>
    expectNoLeaks(async () => {
      const run = () =>
        tf.tidy(() =>
          (
            gaussianDropout(tf.ones([50_001]), { rate: 0.3, seed: 8 }).dataSync() as Float32Array
          ).slice(),
        );
      const wasm = run();
      const cpu = await onBackend('cpu', run);
      expectBitIdentical(wasm, cpu);
      const n = wasm.length;
      const mean = wasm.reduce((a, b) => a + b, 0) / n;
      const variance = wasm.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
      const expected = 0.3 / 0.7;
      // Normal noise: the sample mean has sd sqrt(var / n), the sample variance sd var sqrt(2 / n).
      expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(expected / n));
      expect(Math.abs(variance - expected)).toBeLessThan(5 * expected * Math.sqrt(2 / n));
    }));
});

describe('DropkitStandout on wasm', () => {
  it('equals the cpu reference bit for bit on 60 random shapes, slopes, offsets and keys', () =>
    expectNoLeaks(() => {
      const next = rng(22);
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const n = sizeOf(shape);
        const attrs = { alpha: (next() - 0.5) * 8, beta: (next() - 0.5) * 4, ...randomKey(next) };
        const values = randomValues(next, n);
        const a = randomValues(next, n);
        const got = runKernel(
          DropkitStandout,
          { x: { values, shape }, a: { values: a, shape } },
          attrs,
        );
        expectBitIdentical(got, standoutImpl(values, a, attrs), `case ${c} [${shape}]`);
      }
    }));

  it('keeps at probability 0 and 1 at the extremes, drops a NaN pre-activation, and matches there too', () =>
    expectNoLeaks(() => {
      const n = 99;
      const a = Float32Array.from({ length: n }, (_, i) =>
        i % 3 === 0 ? Number.NaN : i % 3 === 1 ? 1e30 : -1e30,
      );
      const values = new Float32Array(n).fill(3);
      const attrs = { alpha: 2, beta: 0.5, ...randomKey(rng(23)) };
      const got = runKernel(
        DropkitStandout,
        { x: { values, shape: [n] }, a: { values: a, shape: [n] } },
        attrs,
      );
      expectBitIdentical(got, standoutImpl(values, a, attrs));
      for (let i = 0; i < n; i++) expect(got[i], `element ${i}`).toBe(i % 3 === 1 ? 3 : 0);
    }));

  it('keeps each unit with probability sigmoid(alpha a + beta) through the public op, as on cpu', async () =>
    expectNoLeaks(async () => {
      const n = 60_000;
      // Three groups of pre-activations with keep probabilities about 0.12, 0.5 and 0.88.
      const pre = Float32Array.from({ length: n }, (_, i) => (i % 3) - 1);
      const run = () =>
        tf.tidy(() =>
          standout(tf.ones([n]), tf.tensor(pre), { alpha: 2, beta: 0, seed: 4 })
            .dataSync()
            .slice(),
        );
      const wasm = run();
      expectBitIdentical(wasm, await onBackend('cpu', run));
      for (let g = 0; g < 3; g++) {
        const p = standoutKeepProbability(g - 1, 2, 0);
        let kept = 0;
        for (let i = g; i < n; i += 3) kept += wasm[i] as number;
        const m = n / 3;
        expect(Math.abs(kept - m * p)).toBeLessThan(5 * Math.sqrt(m * p * (1 - p)));
      }
    }));
});
