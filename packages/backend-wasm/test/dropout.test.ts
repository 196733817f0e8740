import {
  alphaDropout,
  alphaDropoutCoefficients,
  alphaDropoutImpl,
  DropkitAlphaDropout,
  DropkitDropout,
  dropBlock2d,
  dropConnect,
  dropout,
  dropoutImpl,
  dropPath,
  rateThreshold,
  resolveSeed,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
} from '@dropkit/ops';
import '@tensorflow/tfjs-backend-cpu';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import {
  expectBitIdentical,
  onBackend,
  randomKey,
  randomNoiseShape,
  randomShape,
  randomValues,
  rng,
  runKernel,
} from './helpers.js';

beforeAll(async () => {
  await initWasm();
});

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function dropoutAttrs(next: () => number, noiseShape: number[]) {
  // Rates over [0, 1], the ends included now and then.
  const u = next();
  const rate = u < 0.05 ? 0 : u > 0.95 ? 1 - 2 ** -26 : next();
  return {
    threshold: rateThreshold(rate),
    scale: Math.fround(1 / (1 - rate)),
    noiseShape,
    ...randomKey(next),
  };
}

function alphaAttrs(next: () => number, noiseShape: number[]) {
  const rate = next() * 0.95;
  const { a, b, alphaP } = alphaDropoutCoefficients(rate);
  return {
    threshold: rateThreshold(rate),
    a: Math.fround(a),
    b: Math.fround(b),
    alphaP: Math.fround(alphaP),
    noiseShape,
    ...randomKey(next),
  };
}

describe('DropkitDropout on wasm', () => {
  it('equals the cpu reference bit for bit: 60 random shapes, rates and keys, mask in x shape', () =>
    expectNoLeaks(() => {
      const next = rng(1);
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const attrs = dropoutAttrs(next, shape);
        const values = randomValues(next, sizeOf(shape));
        const got = runKernel(DropkitDropout, { x: { values, shape } }, attrs);
        expectBitIdentical(got, dropoutImpl(values, shape, attrs), `case ${c} [${shape}]`);
      }
    }));

  it('equals the cpu reference bit for bit: 60 random broadcast noise shapes', () =>
    expectNoLeaks(() => {
      const next = rng(2);
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const noiseShape = randomNoiseShape(next, shape);
        const attrs = dropoutAttrs(next, noiseShape);
        const values = randomValues(next, sizeOf(shape));
        const got = runKernel(DropkitDropout, { x: { values, shape } }, attrs);
        expectBitIdentical(
          got,
          dropoutImpl(values, shape, attrs),
          `case ${c} [${shape}] / [${noiseShape}]`,
        );
      }
    }));

  it('equals the cpu reference bit for bit at every length up to three groups of 36', () =>
    expectNoLeaks(() => {
      // The kernels draw 36 elements a group (eight SIMD blocks and a scalar one): every length
      // of the last, partial group, after zero, one and two whole groups.
      const next = rng(21);
      for (let n = 1; n <= 3 * 36; n++) {
        const attrs = dropoutAttrs(next, [n]);
        const values = randomValues(next, n);
        const got = runKernel(DropkitDropout, { x: { values, shape: [n] } }, attrs);
        expectBitIdentical(got, dropoutImpl(values, [n], attrs), `length ${n}`);
        const alpha = alphaAttrs(next, [n]);
        const gotAlpha = runKernel(DropkitAlphaDropout, { x: { values, shape: [n] } }, alpha);
        expectBitIdentical(gotAlpha, alphaDropoutImpl(values, [n], alpha), `alpha, length ${n}`);
      }
    }));

  it('handles a scalar, and empty tensors without running the module', () =>
    expectNoLeaks(() => {
      const key = resolveSeed(9);
      const scalar = { values: Float32Array.of(3), shape: [] };
      const attrs = { threshold: rateThreshold(0.5), scale: 2, noiseShape: [], ...key };
      expectBitIdentical(
        runKernel(DropkitDropout, { x: scalar }, attrs),
        dropoutImpl(scalar.values, [], attrs),
      );
      for (const shape of [[0], [3, 0, 2]]) {
        const empty = { values: new Float32Array(0), shape };
        expect(
          runKernel(DropkitDropout, { x: empty }, { ...attrs, noiseShape: shape }),
        ).toHaveLength(0);
        expect(
          runKernel(DropkitAlphaDropout, { x: empty }, { ...alphaAttrs(rng(6), shape), ...key }),
        ).toHaveLength(0);
      }
      const none = tf.tidy(
        () => dropBlock2d(tf.zeros([0, 4, 4, 2]), { rate: 0.3, blockSize: 2, seed: 1 }).shape,
      );
      expect(none).toEqual([0, 4, 4, 2]);
    }));

  it('propagates NaN and infinities as a multiply does, dropped elements included', () =>
    expectNoLeaks(() => {
      const values = Float32Array.from({ length: 37 }, (_, i) =>
        i % 3 === 0 ? Number.NaN : i % 3 === 1 ? Number.POSITIVE_INFINITY : -0,
      );
      const attrs = {
        threshold: rateThreshold(0.5),
        scale: 2,
        noiseShape: [37],
        ...resolveSeed(4),
      };
      const got = runKernel(DropkitDropout, { x: { values, shape: [37] } }, attrs);
      const want = dropoutImpl(values, [37], attrs);
      for (let i = 0; i < 37; i++) expect(Object.is(got[i], want[i]), `element ${i}`).toBe(true);
      expect(got.some((v, i) => i % 3 === 1 && Number.isNaN(v))).toBe(true); // inf * 0
      expect(got.some((v) => v === Number.POSITIVE_INFINITY)).toBe(true); // inf * 2
    }));

  it('runs the fused kernel under the public ops and gives the cpu backend values bit for bit', () =>
    expectNoLeaks(async () => {
      const run = () =>
        tf.tidy(() => {
          const x4 = tf.randomNormal([3, 5, 6, 7], 0, 1, 'float32', 1);
          const x5 = tf.randomNormal([2, 3, 4, 5, 6], 0, 1, 'float32', 2);
          const x3 = tf.randomNormal([4, 9, 5], 0, 1, 'float32', 3);
          return [
            dropout(x4, { rate: 0.3, seed: 5 }),
            dropout(x4, { rate: 0.6, seed: 6, noiseShape: [3, 1, null, 1] }),
            spatialDropout1d(x3, { rate: 0.4, seed: 7 }),
            spatialDropout2d(x4, { rate: 0.4, seed: 8, dataFormat: 'channelsFirst' }),
            spatialDropout3d(x5, { rate: 0.4, seed: 9 }),
            dropPath(x4, { rate: 0.5, seed: 10 }),
            dropConnect(x3, { rate: 0.2, seed: 11 }),
          ].map((t) => t.dataSync().slice());
        });
      // The ops run the fused kernel and nothing else (tf.profile lists every kernel run).
      const profile = await tf.profile(() => {
        const x = tf.ones([2, 3, 4, 5]);
        const ys = [
          dropout(x, { rate: 0.3, seed: 5 }),
          spatialDropout2d(x, { rate: 0.4, seed: 8 }),
          dropPath(x, { rate: 0.5, seed: 10 }),
        ];
        tf.dispose([x, ...ys]);
      });
      expect(profile.kernels.map((k) => k.name).filter((name) => name !== 'Fill')).toEqual([
        DropkitDropout,
        DropkitDropout,
        DropkitDropout,
      ]);
      const wasm = run();
      const cpu = await onBackend('cpu', run);
      for (const [i, w] of wasm.entries()) expectBitIdentical(w, cpu[i] as Float32Array, `op ${i}`);
    }));

  it('keeps a fraction within 5 sigma of 1 - rate and scales kept elements by 1 / (1 - rate)', () =>
    expectNoLeaks(() => {
      for (const rate of [0.1, 0.5, 0.9]) {
        const n = 200_003;
        const y = tf.tidy(
          () => dropout(tf.ones([n]), { rate, seed: 99 }).dataSync() as Float32Array,
        );
        const scale = Math.fround(1 / (1 - rate));
        expect(y.every((v) => v === 0 || v === scale)).toBe(true);
        const kept = y.reduce((a, v) => a + (v === 0 ? 0 : 1), 0);
        expect(Math.abs(kept - n * (1 - rate))).toBeLessThan(5 * Math.sqrt(n * rate * (1 - rate)));
      }
    }));
});

describe('DropkitAlphaDropout on wasm', () => {
  it('equals the cpu reference bit for bit: 60 random shapes, rates and keys, mask in x shape', () =>
    expectNoLeaks(() => {
      const next = rng(3);
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const attrs = alphaAttrs(next, shape);
        const values = randomValues(next, sizeOf(shape));
        const got = runKernel(DropkitAlphaDropout, { x: { values, shape } }, attrs);
        expectBitIdentical(got, alphaDropoutImpl(values, shape, attrs), `case ${c} [${shape}]`);
      }
    }));

  it('equals the cpu reference bit for bit: 60 random broadcast noise shapes', () =>
    expectNoLeaks(() => {
      const next = rng(4);
      for (let c = 0; c < 60; c++) {
        const shape = randomShape(next);
        const noiseShape = randomNoiseShape(next, shape);
        const attrs = alphaAttrs(next, noiseShape);
        const values = randomValues(next, sizeOf(shape));
        const got = runKernel(DropkitAlphaDropout, { x: { values, shape } }, attrs);
        expectBitIdentical(
          got,
          alphaDropoutImpl(values, shape, attrs),
          `case ${c} [${shape}] / [${noiseShape}]`,
        );
      }
    }));

  it('keeps the mask of dropout and makes NaN of a non-finite dropped input', () =>
    expectNoLeaks(() => {
      const n = 1001;
      const values = Float32Array.from({ length: n }, (_, i) =>
        i % 2 ? Number.POSITIVE_INFINITY : 1,
      );
      const attrs = { ...alphaAttrs(rng(5), [n]), ...resolveSeed(12) };
      const got = runKernel(DropkitAlphaDropout, { x: { values, shape: [n] } }, attrs);
      const mask = runKernel(
        DropkitDropout,
        { x: { values: new Float32Array(n).fill(1), shape: [n] } },
        { threshold: attrs.threshold, scale: 1, noiseShape: [n], ...resolveSeed(12) },
      );
      for (let i = 0; i < n; i++) {
        const dropped = mask[i] === 0;
        if (i % 2 === 0) {
          const expected = dropped
            ? Math.fround(Math.fround(attrs.a * attrs.alphaP) + attrs.b)
            : Math.fround(attrs.a + attrs.b);
          expect(got[i], `element ${i}`).toBe(expected);
        } else {
          expect(Number.isNaN(got[i]), `element ${i}`).toBe(dropped);
        }
      }
    }));

  it('gives the cpu backend values bit for bit through the public op, broadcast included', () =>
    expectNoLeaks(async () => {
      const run = () =>
        tf.tidy(() => {
          const x = tf.randomNormal([4, 6, 9], 0, 1, 'float32', 13);
          return [
            alphaDropout(x, { rate: 0.3, seed: 1 }),
            alphaDropout(x, { rate: 0.2, seed: 2, noiseShape: [4, 1, 9] }),
          ].map((t) => t.dataSync().slice());
        });
      const wasm = run();
      const cpu = await onBackend('cpu', run);
      for (const [i, w] of wasm.entries()) expectBitIdentical(w, cpu[i] as Float32Array, `op ${i}`);
    }));
});
