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
  rateThreshold,
  resolveSeed,
  SELU_ALPHA,
  SELU_SCALE,
  standout,
  uniform24,
} from '../src/index.js';
import {
  backwardBytes,
  composed,
  correlation,
  expectBinomial,
  expectBitIdentical,
  numericGrad,
} from './helpers.js';

const TWO_24 = 16777216;
const f32 = async (t: tf.Tensor) => (await t.data()) as Float32Array;
const meanOf = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] as number;
  return s / v.length;
};
/** Central moment of order k. */
const momentOf = (v: ArrayLike<number>, k: number, m = meanOf(v)) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += ((v[i] as number) - m) ** k;
  return s / v.length;
};
/** The expected output mean is 0 and variance 1: bounds from the sample's own moments. */
const expectStandardized = (y: ArrayLike<number>) => {
  const n = y.length;
  const m = meanOf(y);
  const v = momentOf(y, 2, m);
  const m4 = momentOf(y, 4, m);
  expect(Math.abs(m), `mean ${m}`).toBeLessThan(5 * Math.sqrt(v / n));
  expect(Math.abs(v - 1), `variance ${v}`).toBeLessThan(5 * Math.sqrt((m4 - v * v) / n));
};
/** The keep indicator (1 kept, 0 dropped) of dropout's mask for a rate and seed, from the RNG. */
const keepOf = (count: number, rate: number, seed: number): number[] =>
  Array.from(uniform24(count, resolveSeed(seed)), (u) => (u < rateThreshold(rate) ? 0 : 1));

/** Why the composed ProbDropBlock / standout tests cannot run on webgpu in Node. */
const SYNC_READ_REASON =
  'its composed fallback reads the layer input synchronously (dataSync) to draw a data-dependent mask; webgpu in Node has no synchronous read (tfjs needs OffscreenCanvas), and webgpu always runs the fused kernel, tested against the cpu reference in @dropkit/backend-webgpu';

describeWithBackends('gaussianDropout', ({ it, backend }) => {
  // ARCHITECTURE.md section 3: Gaussian noise (log, cos) agrees across backends to 1e-6 relative;
  // the cpu reference (and wasm, whose kernels use the same float64 math) agree bit for bit.
  const expectGaussianEqual = (a: Float32Array, b: Float32Array) =>
    backend === 'webgpu' ? expectClose(a, b, { rtol: 1e-6, atol: 1e-7 }) : expectBitIdentical(a, b);

  it('is fround(x * fround(1 + fround(stddev) * z)) with z from normalNoise, odd sizes too', async () => {
    for (const shape of [[7, 9], [1], [4, 2]]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
      const rate = 0.3;
      const z = normalNoise(x.size, resolveSeed(5));
      const s = Math.fround(Math.sqrt(rate / (1 - rate)));
      const expected = Float32Array.from(await f32(x), (v, i) => v * Math.fround(1 + s * z[i]!));
      expectGaussianEqual(await f32(gaussianDropout(x, { rate, seed: 5 })), expected);
    }
  });

  for (const rate of [0.2, 0.5]) {
    it(`E[out] tracks E[x] and Var(out / x) = rate / (1 - rate) at rate ${rate}`, async () => {
      const n = 200_000;
      const x = tf.randomUniform([n], 1, 4, 'float32', 7);
      const xs = await f32(x);
      const y = await f32(gaussianDropout(x, { rate, seed: 3 }));
      const target = rate / (1 - rate);
      const diff = Float32Array.from(y, (v, i) => v - xs[i]!);
      expect(Math.abs(meanOf(diff))).toBeLessThan(5 * Math.sqrt(momentOf(diff, 2) / n));
      const ratio = Float32Array.from(y, (v, i) => v / xs[i]!);
      expect(Math.abs(meanOf(ratio) - 1)).toBeLessThan(5 * Math.sqrt(target / n));
      // The sample variance of normal noise has standard deviation sqrt(2 / n) * variance.
      expect(Math.abs(momentOf(ratio, 2) - target)).toBeLessThan(5 * target * Math.sqrt(2 / n));
    });
  }

  it('uses independent noise for the two elements of a block and for neighbouring blocks', async () => {
    const n = 100_000;
    const y = await f32(gaussianDropout(tf.ones([n]), { rate: 0.5, seed: 4 }));
    const even = y.filter((_, i) => i % 2 === 0);
    const odd = y.filter((_, i) => i % 2 === 1);
    const bound = 5 / Math.sqrt(n / 2);
    expect(Math.abs(correlation(even, odd))).toBeLessThan(bound);
    expect(Math.abs(correlation(odd.slice(0, -1), even.slice(1)))).toBeLessThan(bound);
  });

  it('the composed fallback is bit-identical, gradients included', async () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 2);
    const w = tf.randomNormal([5, 7], 0, 1, 'float32', 3);
    expectGaussianEqual(
      await f32(gaussianDropout(x, { rate: 0.4, seed: 9 })),
      await f32(composed(() => gaussianDropout(x, { rate: 0.4, seed: 9 }))),
    );
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(gaussianDropout(t, { rate: 0.4, seed: 9 }), w)) as tf.Scalar;
    expectGaussianEqual(await f32(tf.grad(f)(x)), await f32(composed(() => tf.grad(f)(x))));
  });

  it('gradient: dx = dy * m exactly, equal to a numerical gradient', async () => {
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(gaussianDropout(t, { rate: 0.4, seed: 9 }), w)) as tf.Scalar;
    const dx = await f32(tf.grad(f)(x));
    const m = await f32(gaussianDropout(tf.onesLike(x), { rate: 0.4, seed: 9 }));
    expectBitIdentical(
      dx,
      Float32Array.from(await f32(w), (v, i) => v * m[i]!),
    );
    expectClose(dx, await numericGrad(f, x), { atol: 3e-3, rtol: 3e-3 });
  });

  it('a seed reproduces; a generator gives new noise each call, reproducibly', async () => {
    const x = tf.ones([64]);
    expectBitIdentical(
      await f32(gaussianDropout(x, { rate: 0.5, seed: 1 })),
      await f32(gaussianDropout(x, { rate: 0.5, seed: 1 })),
    );
    const g1 = createGenerator(1);
    const g2 = createGenerator(1);
    const first = Array.from(await f32(gaussianDropout(x, { rate: 0.5, seed: g1 })));
    const second = Array.from(await f32(gaussianDropout(x, { rate: 0.5, seed: g1 })));
    expect(first).not.toEqual(second);
    expect(Array.from(await f32(gaussianDropout(x, { rate: 0.5, seed: g2 })))).toEqual(first);
    expect(Array.from(await f32(gaussianDropout(x, { rate: 0.5, seed: g2 })))).toEqual(second);
  });

  it('is the identity for rate 0 or training false', async () => {
    const x = tf.tensor([1, -2, 3.5]);
    expect(Array.from(await f32(gaussianDropout(x, { rate: 0 })))).toEqual([1, -2, 3.5]);
    expect(Array.from(await f32(gaussianDropout(x, { rate: 0.5, training: false })))).toEqual([
      1, -2, 3.5,
    ]);
  });
});

describeWithBackends('alphaDropout', ({ it }) => {
  it('coefficients: the exact output of N(0, 1) input has mean 0 and variance 1', async () => {
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    for (const r of [0.05, 0.1, 0.3, 0.5, 0.9]) {
      const { a, b, alphaP: ap } = alphaDropoutCoefficients(r);
      expect(ap).toBe(alphaP);
      // Kept: a x + b, x ~ N(0, 1); dropped: a alphaP + b.
      const mean = (1 - r) * b + r * (a * alphaP + b);
      const second = (1 - r) * (a * a + b * b) + r * (a * alphaP + b) ** 2;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(second - mean * mean - 1)).toBeLessThan(1e-12);
    }
    expect(alphaDropoutCoefficients(0)).toEqual({ a: 1, b: 0, alphaP });
  });

  for (const rate of [0.1, 0.3, 0.5]) {
    it(`keeps mean 0 and variance 1 on N(0, 1) input at rate ${rate}`, async () => {
      const n = 200_000;
      const x = tf.randomNormal([n], 0, 1, 'float32', 11);
      expectStandardized(await f32(alphaDropout(x, { rate, seed: 12 })));
    });

    it(`the tfjs-layers formula (+|alphaP| for dropped units) fails that test at rate ${rate}`, async () => {
      // tfjs-layers 4.22: x * keep + (keep - 1) * alphaP, then a * x + b, on the same mask.
      const n = 200_000;
      const x = tf.randomNormal([n], 0, 1, 'float32', 11);
      const { a, b, alphaP } = alphaDropoutCoefficients(rate);
      const keep = keepOf(n, rate, 12);
      const xs = await f32(x);
      const wrong = Float32Array.from(
        xs,
        (v, i) => a * (v * keep[i]! + (keep[i]! - 1) * alphaP) + b,
      );
      // Its expected mean is 2b (0.908 at rate 0.3); ours stays within 5 sigma of 0.
      const m = meanOf(wrong);
      const sigma = Math.sqrt(momentOf(wrong, 2) / n);
      expect(Math.abs(m - 2 * b)).toBeLessThan(5 * sigma);
      expect(m).toBeGreaterThan(100 * sigma);
      if (rate === 0.3) expect(m).toBeCloseTo(0.908, 1);
      expect(Math.abs(meanOf(await f32(alphaDropout(x, { rate, seed: 12 }))))).toBeLessThan(
        5 * sigma,
      );
    });
  }

  it('is fround(fround(a * t) + b), t = x or alphaP, on exactly the positions dropout drops', async () => {
    const n = 50_001;
    const rate = 0.25;
    const x = tf.randomNormal([n], 0, 1, 'float32', 15);
    const y = await f32(alphaDropout(x, { rate, seed: 16 }));
    const { a, b, alphaP } = alphaDropoutCoefficients(rate);
    const [a32, b32, p32] = [Math.fround(a), Math.fround(b), Math.fround(alphaP)];
    const keep = keepOf(n, rate, 16);
    const xs = await f32(x);
    expectBitIdentical(
      y,
      Float32Array.from(xs, (v, i) => Math.fround(a32 * (keep[i] ? v : p32)) + b32),
    );
    const d = await f32(dropout(tf.ones([n]), { rate, seed: 16 }));
    expect(Array.from(d, (v) => (v === 0 ? 0 : 1))).toEqual(keep);
    expectBinomial(
      keep.reduce((s, k) => s + k, 0),
      n,
      1 - rate,
    );
  });

  it('broadcasts a noise shape: one draw per mask element, null meaning x size', async () => {
    const x = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 17);
    const xs = (await x.array()) as number[][][];
    const { a, b, alphaP } = alphaDropoutCoefficients(0.5);
    const [a32, b32, p32] = [Math.fround(a), Math.fround(b), Math.fround(alphaP)];
    const cases: [(number | null)[], (n: number, t: number, c: number) => number][] = [
      [[4, 1, null], (n, _t, c) => n * 6 + c],
      [[1, 5, 1], (_n, t) => t],
      [[1, 1, 1], () => 0],
    ];
    for (const [noiseShape, index] of cases) {
      const y = (await alphaDropout(x, {
        rate: 0.5,
        seed: 18,
        noiseShape,
      }).array()) as number[][][];
      const keep = keepOf(24, 0.5, 18);
      for (let n = 0; n < 4; n++) {
        for (let t = 0; t < 5; t++) {
          for (let c = 0; c < 6; c++) {
            const v = keep[index(n, t, c)] ? xs[n]![t]![c]! : p32;
            expect(y[n]![t]![c]).toBe(Math.fround(Math.fround(a32 * v) + b32));
          }
        }
      }
    }
  });

  it('the composed fallback is bit-identical, broadcast shapes and non-finite inputs included', async () => {
    const x = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 9);
    for (const noiseShape of [undefined, [3, 1, 1, 6], [1, 4, 1, 1]]) {
      const opts = { rate: 0.4, seed: 77, ...(noiseShape ? { noiseShape } : {}) };
      expectBitIdentical(
        await f32(alphaDropout(x, opts)),
        await f32(composed(() => alphaDropout(x, opts))),
      );
      const f = (t: tf.Tensor) => tf.sum(tf.mul(alphaDropout(t, opts), x)) as tf.Scalar;
      expectBitIdentical(await f32(tf.grad(f)(x)), await f32(composed(() => tf.grad(f)(x))));
    }
    // Dropped infinities and NaNs give NaN (x * 0 + alphaP, as Keras); both paths agree.
    const special = tf.tensor(
      Array.from({ length: 64 }, (_, i) => [Number.POSITIVE_INFINITY, Number.NaN, -0, 1][i % 4]!),
    );
    const y = await f32(alphaDropout(special, { rate: 0.5, seed: 3 }));
    expectBitIdentical(y, await f32(composed(() => alphaDropout(special, { rate: 0.5, seed: 3 }))));
    const keep = keepOf(64, 0.5, 3);
    const firstDroppedInf = keep.findIndex((k, i) => k === 0 && i % 4 === 0);
    expect(Number.isNaN(y[firstDroppedInf]!)).toBe(true);
  });

  it('gradient: dx = dy * a * keep exactly, equal to a numerical gradient', async () => {
    const opts = { rate: 0.3, seed: 18, noiseShape: [4, 1, 6] };
    const x = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 17);
    const w = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 19);
    const a32 = Math.fround(alphaDropoutCoefficients(0.3).a);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(alphaDropout(t, opts), w)) as tf.Scalar;
    const dx = await f32(tf.grad(f)(x));
    // The kept set of the broadcast mask, read off dropout with the same options.
    const keep = (await f32(dropout(tf.onesLike(x), opts))).map((v) => (v === 0 ? 0 : 1));
    expectBitIdentical(
      dx,
      Float32Array.from(await f32(w), (v, i) => v * (keep[i] ? a32 : 0)),
    );
    const g = (t: tf.Tensor) => tf.sum(tf.square(alphaDropout(t, opts))) as tf.Scalar;
    expectClose(await f32(tf.grad(g)(x)), await numericGrad(g, x), { atol: 5e-3, rtol: 5e-3 });
  });

  it('a seed reproduces; a generator gives a new mask per call; training false is identity', async () => {
    const x = tf.randomNormal([256], 0, 1, 'float32', 1);
    expectBitIdentical(
      await f32(alphaDropout(x, { rate: 0.5, seed: 1 })),
      await f32(alphaDropout(x, { rate: 0.5, seed: 1 })),
    );
    const g = createGenerator(1);
    expect(Array.from(await f32(alphaDropout(x, { rate: 0.5, seed: g })))).not.toEqual(
      Array.from(await f32(alphaDropout(x, { rate: 0.5, seed: g }))),
    );
    expectBitIdentical(await f32(alphaDropout(x, { rate: 0.5, training: false })), await f32(x));
    expectBitIdentical(await f32(alphaDropout(x, { rate: 0 })), await f32(x));
  });
});

describeWithBackends(
  'standout',
  ({ it }) => {
    it('keeps each column with probability sigmoid(alpha * a + beta), kept units unscaled', async () => {
      const rows = 50_000;
      const aValues = [-2, -0.5, 0, 1, 3];
      const a = tf.tile(tf.tensor([aValues]), [rows, 1]);
      const x = tf.randomUniform([rows, 5], 0.5, 2, 'float32', 20);
      const xs = await f32(x);
      const y = await f32(standout(x, a, { alpha: 1.5, beta: 0.2, seed: 21 }));
      aValues.forEach((av, c) => {
        const p = 1 / (1 + Math.exp(-(1.5 * av + 0.2)));
        let kept = 0;
        for (let r = 0; r < rows; r++) {
          const i = r * 5 + c;
          if (y[i] === xs[i]) kept++;
          else if (y[i] !== 0) expect.fail(`element ${i}: ${y[i]} is neither 0 nor x = ${xs[i]}`);
        }
        expectBinomial(kept, rows, p);
      });
    });

    it('keeps element i iff u_i < round(fround(p_i) * 2^24), p_i in float64', async () => {
      const n = 10_001;
      const a = tf.randomNormal([n], 0, 3, 'float32', 24);
      const as = await f32(a);
      const y = await f32(standout(tf.onesLike(a), a, { alpha: -0.7, beta: 0.3, seed: 25 }));
      const u = uniform24(n, resolveSeed(25));
      const expected = Float32Array.from(as, (v, i) => {
        const p = Math.fround(1 / (1 + Math.exp(-(-0.7 * v + 0.3))));
        return u[i]! < Math.round(p * TWO_24) ? 1 : 0;
      });
      expectBitIdentical(y, expected);
      const never = await f32(standout(tf.ones([1000]), tf.fill([1000], -1e4), { seed: 1 }));
      const always = await f32(standout(tf.ones([1000]), tf.fill([1000], 1e4), { seed: 1 }));
      expect(never.every((v) => v === 0)).toBe(true);
      expect(always.every((v) => v === 1)).toBe(true);
    });

    it('training false returns x * p', async () => {
      const a = tf.tensor([-1, 0, 2, 40]);
      const x = tf.tensor([3, -2, 0.5, 7]);
      const y = standout(x, a, { alpha: 2, beta: -1, training: false });
      expectClose(
        await f32(y),
        [-3, -1, 3, 79].map((t, i) => [3, -2, 0.5, 7][i]! / (1 + Math.exp(-t))),
        { atol: 1e-6 },
      );
    });

    it('the composed fallback is bit-identical; dx = dy * keep, da = 0, on both paths', async () => {
      const a = tf.randomNormal([6, 7], 0, 2, 'float32', 22);
      const x = tf.relu(a);
      const dy = tf.randomNormal([6, 7], 0, 1, 'float32', 26);
      expectBitIdentical(
        await f32(standout(x, a, { seed: 23 })),
        await f32(composed(() => standout(x, a, { seed: 23 }))),
      );
      const keep = await f32(standout(tf.onesLike(x), a, { seed: 23 }));
      const expectedDx = Float32Array.from(await f32(dy), (v, i) => v * keep[i]!);
      const grads = () =>
        tf.grads((t: tf.Tensor, pre: tf.Tensor) =>
          tf.sum(tf.mul(standout(t, pre, { seed: 23 }), dy)),
        )([x, a]);
      for (const [dx, da] of [grads(), composed(grads)]) {
        expectBitIdentical(await f32(dx!), expectedDx);
        expect(Array.from(await f32(da!)).every((v) => v === 0)).toBe(true);
      }
      expect(keep.some((k) => k === 0) && keep.some((k) => k === 1)).toBe(true);
    });

    it('a seed reproduces; a generator gives a new mask per call', async () => {
      const a = tf.zeros([256]);
      const x = tf.ones([256]);
      expectBitIdentical(
        await f32(standout(x, a, { seed: 2 })),
        await f32(standout(x, a, { seed: 2 })),
      );
      const g = createGenerator(2);
      expect(Array.from(await f32(standout(x, a, { seed: g })))).not.toEqual(
        Array.from(await f32(standout(x, a, { seed: g }))),
      );
    });
  },
  {
    skip: {
      webgpu: {
        'the composed fallback is bit-identical; dx = dy * keep, da = 0, on both paths':
          SYNC_READ_REASON,
      },
    },
  },
);

describeWithBackends(
  'noise ops: memory',
  ({ it }) => {
    it('no tensors leak over 100 forward+backward calls of each op, on both paths', async () => {
      const x = tf.randomNormal([16, 8], 0, 1, 'float32', 1);
      const g = createGenerator(0);
      const step = () =>
        tf.tidy(() => {
          tf.grad((t: tf.Tensor) => tf.sum(gaussianDropout(t, { rate: 0.2, seed: g })))(x);
          tf.grad((t: tf.Tensor) =>
            tf.sum(alphaDropout(t, { rate: 0.2, seed: g, noiseShape: [16, 1] })),
          )(x);
          tf.grads((t: tf.Tensor, pre: tf.Tensor) => tf.sum(standout(t, pre, { seed: g })))([x, x]);
        });
      await expectNoLeaks(async () => {
        for (let i = 0; i < 100; i++) step();
        for (let i = 0; i < 5; i++) composed(step);
      });
    });

    it('keeps no mask: the backward passes allocate only their gradients', async () => {
      const n = 1 << 14;
      expect(backwardBytes((t) => gaussianDropout(t, { rate: 0.3, seed: 1 }), n)).toBe(4 * n);
      expect(backwardBytes((t) => alphaDropout(t, { rate: 0.3, seed: 1 }), n)).toBe(4 * n);
      // standout's dx plus the zero gradient of its pre-activation (a constant here).
      const a = tf.randomNormal([n], 0, 1, 'float32', 1);
      const standoutBytes = backwardBytes((t) => standout(t, a, { seed: 1 }), n);
      expect(standoutBytes).toBeGreaterThan(0);
      expect(standoutBytes).toBeLessThanOrEqual(8 * n);
    });
  },
  {
    skip: {
      webgpu: {
        'no tensors leak over 100 forward+backward calls of each op, on both paths':
          SYNC_READ_REASON,
      },
    },
  },
);

describeWithBackends('noise ops: bad input', ({ it }) => {
  const x = () => tf.ones([2, 2]);
  const cases: [string, () => unknown, RegExp][] = [
    [
      'gaussian rate 1',
      () => gaussianDropout(x(), { rate: 1 }),
      /rate: received 1; expected a number in \[0, 1\)/,
    ],
    ['gaussian NaN rate', () => gaussianDropout(x(), { rate: Number.NaN }), /rate: received NaN/],
    [
      'gaussian int32 input',
      () => gaussianDropout(tf.ones([3], 'int32'), { rate: 0.1 }),
      /x: received "a int32 tensor of shape \[3\]"; expected a float32 tensor/,
    ],
    [
      'gaussian bad seed',
      () => gaussianDropout(x(), { rate: 0.1, seed: -4 }),
      /seed: received -4; expected an integer in \[0, 2\^53\)/,
    ],
    ['alpha negative rate', () => alphaDropout(x(), { rate: -0.2 }), /rate: received -0\.2/],
    ['alpha rate above 1', () => alphaDropout(x(), { rate: 1.5 }), /rate: received 1\.5/],
    ['alpha NaN rate', () => alphaDropout(x(), { rate: Number.NaN }), /rate: received NaN/],
    [
      'alpha int32 input',
      () => alphaDropout(tf.ones([2], 'int32'), { rate: 0.1 }),
      /x: received "a int32 tensor of shape \[2\]"/,
    ],
    [
      'alpha noise shape that does not broadcast',
      () => alphaDropout(x(), { rate: 0.1, noiseShape: [3, 1] }),
      /noiseShape: received \[3,1\]; expected an array of 2 entries, each 1, null or the size/,
    ],
    [
      'alpha noise shape of the wrong rank',
      () => alphaDropout(x(), { rate: 0.1, noiseShape: [2] }),
      /noiseShape: received \[2\]/,
    ],
    [
      'alpha fractional seed',
      () => alphaDropout(x(), { rate: 0.1, seed: 1.5 }),
      /seed: received 1\.5/,
    ],
    [
      'standout shape mismatch',
      () => standout(x(), tf.ones([2, 3])),
      /preActivation\.shape: received \[2,3\]; expected x's shape \[2,2\]/,
    ],
    [
      'standout rank mismatch',
      () => standout(x(), tf.ones([4])),
      /preActivation\.shape: received \[4\]/,
    ],
    [
      'standout non-finite alpha',
      () => standout(x(), x(), { alpha: Number.POSITIVE_INFINITY }),
      /alpha: received Infinity; expected a finite number/,
    ],
    ['standout NaN beta', () => standout(x(), x(), { beta: Number.NaN }), /beta: received NaN/],
    [
      'standout int32 x',
      () => standout(tf.ones([2, 2], 'int32'), x()),
      /x: received "a int32 tensor of shape \[2,2\]"/,
    ],
    [
      'standout int32 pre-activation',
      () => standout(x(), tf.ones([2, 2], 'int32')),
      /preActivation: received "a int32 tensor/,
    ],
    [
      'standout seed of 2^53',
      () => standout(x(), x(), { seed: 2 ** 53 }),
      /seed: received 9007199254740992/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(name, async () => {
      expect(fn).toThrow(InvalidArgumentError);
      expect(fn).toThrow(message);
    });
  }
});
