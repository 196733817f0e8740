import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  alphaDropout,
  alphaDropoutCoefficients,
  createGenerator,
  dropout,
  gaussianDropout,
  normalNoise,
  resolveSeed,
  standout,
} from '../src/index.js';
import { composed, expectBinomial, expectBitIdentical, numericGrad } from './helpers.js';

const f32 = (t: tf.Tensor) => t.dataSync() as Float32Array;
const meanOf = (v: Float32Array) => v.reduce((a, b) => a + b, 0) / v.length;
const varOf = (v: Float32Array, m = meanOf(v)) =>
  v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;

describeWithBackends('gaussianDropout', ({ it }) => {
  it('is x * fround(1 + stddev * z) with z from the normal layout', () => {
    const x = tf.randomNormal([7, 9], 0, 1, 'float32', 1);
    const rate = 0.3;
    const z = normalNoise(63, resolveSeed(5));
    const s = Math.fround(Math.sqrt(rate / (1 - rate)));
    const expected = Float32Array.from(f32(x), (v, i) => v * Math.fround(1 + s * z[i]!));
    expectBitIdentical(f32(gaussianDropout(x, { rate, seed: 5 })), expected);
  });
  it('keeps the mean and has noise variance rate / (1 - rate)', () => {
    const n = 200_000;
    const rate = 0.2;
    const y = f32(gaussianDropout(tf.ones([n]), { rate, seed: 3 }));
    const m = meanOf(y);
    const v = varOf(y, m);
    const target = rate / (1 - rate);
    expect(Math.abs(m - 1)).toBeLessThan(5 * Math.sqrt(target / n));
    expect(Math.abs(v - target)).toBeLessThan(5 * target * Math.sqrt(2 / n));
  });
  it('composed fallback is bit-identical; gradient regenerates the noise', () => {
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 2);
    expectBitIdentical(
      f32(gaussianDropout(x, { rate: 0.4, seed: 9 })),
      f32(composed(() => gaussianDropout(x, { rate: 0.4, seed: 9 }))),
    );
    const w = tf.randomNormal([5, 6], 0, 1, 'float32', 3);
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(gaussianDropout(t, { rate: 0.4, seed: 9 }), w)) as tf.Scalar;
    expectClose(f32(tf.grad(f)(x)), numericGrad(f, x), { atol: 3e-3, rtol: 3e-3 });
    const viaComposed = composed(() => tf.grad(f)(x));
    expectClose(f32(tf.grad(f)(x)), f32(viaComposed), { atol: 1e-6 });
  });
  it('a seed reproduces; a generator gives new noise each call', () => {
    const x = tf.ones([64]);
    expectBitIdentical(
      f32(gaussianDropout(x, { rate: 0.5, seed: 1 })),
      f32(gaussianDropout(x, { rate: 0.5, seed: 1 })),
    );
    const g = createGenerator(1);
    expect(Array.from(f32(gaussianDropout(x, { rate: 0.5, seed: g })))).not.toEqual(
      Array.from(f32(gaussianDropout(x, { rate: 0.5, seed: g }))),
    );
  });
});

describeWithBackends('alphaDropout', ({ it }) => {
  for (const rate of [0.1, 0.3, 0.5]) {
    it(`keeps mean 0 and variance 1 on N(0, 1) input at rate ${rate}`, () => {
      const n = 200_000;
      const y = f32(alphaDropout(tf.randomNormal([n], 0, 1, 'float32', 11), { rate, seed: 12 }));
      const m = meanOf(y);
      const v = varOf(y, m);
      const fourth = y.reduce((a, b) => a + (b - m) ** 4, 0) / n;
      expect(Math.abs(m)).toBeLessThan(5 * Math.sqrt(v / n));
      expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt((fourth - v * v) / n));
    });
  }
  it('the tfjs-layers sign bug (+alphaP for dropped units) would drift the mean to about 0.9', () => {
    const n = 200_000;
    const rate = 0.3;
    const x = tf.randomNormal([n], 0, 1, 'float32', 13);
    const { a, b, alphaP } = alphaDropoutCoefficients(rate);
    const keep = f32(dropout(tf.onesLike(x), { rate, seed: 14 })).map((v) => (v === 0 ? 0 : 1));
    const xs = f32(x);
    const wrong = Float32Array.from(xs, (v, i) => a * (keep[i] ? v : -alphaP) + b);
    expect(meanOf(wrong)).toBeGreaterThan(0.85);
    expect(meanOf(wrong)).toBeLessThan(0.95);
    const ours = f32(alphaDropout(x, { rate, seed: 14 }));
    expect(Math.abs(meanOf(ours))).toBeLessThan(0.02);
  });
  it("drops exactly dropout's positions for the same seed, within 5 sigma of the rate", () => {
    const n = 50_000;
    const x = tf.randomNormal([n], 0, 1, 'float32', 15);
    const y = f32(alphaDropout(x, { rate: 0.25, seed: 16 }));
    const { a, b, alphaP } = alphaDropoutCoefficients(0.25);
    const droppedValue = Math.fround(
      Math.fround(Math.fround(a) * Math.fround(alphaP)) + Math.fround(b),
    );
    const d = f32(dropout(tf.ones([n]), { rate: 0.25, seed: 16 }));
    let dropped = 0;
    for (let i = 0; i < n; i++) {
      expect(y[i] === droppedValue).toBe(d[i] === 0);
      if (d[i] === 0) dropped++;
    }
    expectBinomial(dropped, n, 0.25);
  });
  it('broadcasts a noise shape; composed path and gradient agree bit for bit', () => {
    const x = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 17);
    const opts = { rate: 0.3, seed: 18, noiseShape: [4, 1, 6] };
    const y = alphaDropout(x, opts).arraySync() as number[][][];
    const { a, b, alphaP } = alphaDropoutCoefficients(0.3);
    const droppedValue = Math.fround(
      Math.fround(Math.fround(a) * Math.fround(alphaP)) + Math.fround(b),
    );
    for (let n = 0; n < 4; n++) {
      for (let c = 0; c < 6; c++) {
        const col = [0, 1, 2, 3, 4].map((t) => y[n]![t]![c] === droppedValue);
        expect(new Set(col).size).toBe(1);
      }
    }
    expectBitIdentical(f32(alphaDropout(x, opts)), f32(composed(() => alphaDropout(x, opts))));
    const g = tf.grad((t: tf.Tensor) => tf.sum(alphaDropout(t, opts)))(x);
    const keep = f32(dropout(tf.onesLike(x), { ...opts })).map((v) => (v === 0 ? 0 : 1));
    expectClose(
      f32(g),
      Float32Array.from(keep, (k) => k * Math.fround(a)),
      { atol: 1e-7 },
    );
    const f = (t: tf.Tensor) => tf.sum(tf.square(alphaDropout(t, opts))) as tf.Scalar;
    expectClose(f32(tf.grad(f)(x)), numericGrad(f, x), { atol: 5e-3, rtol: 5e-3 });
    expectClose(f32(tf.grad(f)(x)), f32(composed(() => tf.grad(f)(x))), { atol: 1e-6 });
  });
});

describeWithBackends('standout', ({ it }) => {
  it('keeps each unit with probability sigmoid(alpha * a + beta), unscaled', () => {
    const rows = 40_000;
    const aValues = [-2, -0.5, 0, 1, 3];
    const a = tf.tile(tf.tensor([aValues]), [rows, 1]);
    const x = tf.fill([rows, 5], 2);
    const y = standout(x, a, { alpha: 1.5, beta: 0.2, seed: 21 }).arraySync() as number[][];
    aValues.forEach((av, c) => {
      const p = 1 / (1 + Math.exp(-(1.5 * av + 0.2)));
      const kept = y.filter((r) => r[c] === 2).length;
      expect(y.every((r) => r[c] === 0 || r[c] === 2)).toBe(true);
      expectBinomial(kept, rows, p);
    });
  });
  it('training false returns x * p', () => {
    const a = tf.tensor([-1, 0, 2]);
    const y = standout(tf.ones([3]), a, { alpha: 2, beta: -1, training: false });
    expectClose(
      f32(y),
      [-3, -1, 3].map((t) => 1 / (1 + Math.exp(-t))),
      { atol: 1e-6 },
    );
  });
  it('composed fallback bit-identical; dx = dy * keep, da = 0', () => {
    const a = tf.randomNormal([6, 7], 0, 2, 'float32', 22);
    const x = tf.relu(a);
    expectBitIdentical(
      f32(standout(x, a, { seed: 23 })),
      f32(composed(() => standout(x, a, { seed: 23 }))),
    );
    const [dx, da] = tf.grads((t: tf.Tensor, pre: tf.Tensor) =>
      tf.sum(standout(t, pre, { seed: 23 })),
    )([x, a]);
    const keep = f32(standout(tf.onesLike(x), a, { seed: 23 }));
    expectBitIdentical(f32(dx!), keep);
    expect(Array.from(f32(da!)).every((v) => v === 0)).toBe(true);
    const [cdx] = composed(() =>
      tf.grads((t: tf.Tensor, pre: tf.Tensor) => tf.sum(standout(t, pre, { seed: 23 })))([x, a]),
    );
    expectBitIdentical(f32(cdx!), keep);
  });
});

describeWithBackends('noise ops: leaks and bad input', ({ it }) => {
  it('no tensors leak over 100 forward+backward calls of each op', async () => {
    const x = tf.randomNormal([16, 8], 0, 1, 'float32', 1);
    const g = createGenerator(0);
    await expectNoLeaks(() => {
      for (let i = 0; i < 100; i++) {
        tf.tidy(() => {
          tf.grad((t: tf.Tensor) => tf.sum(gaussianDropout(t, { rate: 0.2, seed: g })))(x);
          tf.grad((t: tf.Tensor) => tf.sum(alphaDropout(t, { rate: 0.2, seed: g })))(x);
          tf.grad((t: tf.Tensor) => tf.sum(standout(t, x, { seed: g })))(x);
        });
      }
    });
  });
  const x = () => tf.ones([2, 2]);
  const cases: [string, () => unknown, RegExp][] = [
    [
      'gaussian rate 1',
      () => gaussianDropout(x(), { rate: 1 }),
      /rate: received 1; expected a number in \[0, 1\)/,
    ],
    ['gaussian NaN rate', () => gaussianDropout(x(), { rate: Number.NaN }), /rate: received NaN/],
    ['alpha negative rate', () => alphaDropout(x(), { rate: -0.2 }), /rate: received -0\.2/],
    [
      'alpha int32 input',
      () => alphaDropout(tf.ones([2], 'int32'), { rate: 0.1 }),
      /x: received "a int32 tensor/,
    ],
    [
      'alpha bad noise shape',
      () => alphaDropout(x(), { rate: 0.1, noiseShape: [3, 1] }),
      /noiseShape: received \[3,1\]/,
    ],
    ['gaussian bad seed', () => gaussianDropout(x(), { rate: 0.1, seed: -4 }), /seed: received -4/],
    [
      'standout shape mismatch',
      () => standout(x(), tf.ones([2, 3])),
      /preActivation\.shape: received \[2,3\]; expected x's shape \[2,2\]/,
    ],
    [
      'standout non-finite alpha',
      () => standout(x(), x(), { alpha: Number.POSITIVE_INFINITY }),
      /alpha: received Infinity; expected a finite number/,
    ],
    ['standout NaN beta', () => standout(x(), x(), { beta: Number.NaN }), /beta: received NaN/],
    [
      'standout int32 pre-activation',
      () => standout(x(), tf.ones([2, 2], 'int32')),
      /preActivation: received "a int32 tensor/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      expect(fn).toThrow(InvalidArgumentError);
      expect(fn).toThrow(message);
    });
  }
});
