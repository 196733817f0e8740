import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  createGenerator,
  denseDropConnect,
  dropConnect,
  dropout,
  dropPath,
  Generator,
  rateThreshold,
  resolveSeed,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
  stochasticDepth,
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

/** The mask of a dropout call recovered from its output on an all-ones input. */
const keptOf = async (y: tf.Tensor): Promise<number[]> =>
  Array.from(await y.data(), (v) => (v === 0 ? 0 : 1));

describeWithBackends('dropout', ({ it }) => {
  it('matches the RNG layout exactly: dropped iff u < round(rate * 2^24)', async () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 3);
    const rate = 0.3;
    const y = dropout(x, { rate, seed: 1234 });
    const u = uniform24(35, resolveSeed(1234));
    const xs = await x.data();
    const scale = Math.fround(1 / (1 - rate));
    const expected = Float32Array.from(xs, (v, i) => v * (u[i]! < rateThreshold(rate) ? 0 : scale));
    expectBitIdentical(await y.data(), expected);
  });

  it('follows the layout for keys with every word set, high bits included (the inlined rounds)', async () => {
    // Seeds above 2^32 and generator streams above 2^32 fill all four key words; sizes with a
    // partial last block exercise both the inlined loop and its tail.
    const seeds = [2 ** 52 + 2 ** 31 + 12345, 2 ** 33 - 1, 2 ** 32];
    for (const seed of seeds) {
      for (const n of [4096, 4099]) {
        const stream = 2 ** 32 + 0x9e3779b9 + n;
        const key = resolveSeed(Generator.fromState({ seed, nextStream: stream }));
        expect(key.seedHi * key.streamHi).toBeGreaterThan(0);
        const g = Generator.fromState({ seed, nextStream: stream });
        const y = dropout(tf.ones([n]), { rate: 0.5, seed: g });
        const u = uniform24(n, key);
        const expected = Float32Array.from(u, (v) => (v < rateThreshold(0.5) ? 0 : 2));
        expectBitIdentical(await y.data(), expected);
        y.dispose();
      }
    }
  });

  it('the composed fallback gives bit-identical output, broadcast shapes included', async () => {
    const x = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 9);
    for (const noiseShape of [undefined, [3, 1, 1, 6], [1, 4, 1, 1], [3, 4, 5, 6]] as const) {
      const opts = { rate: 0.4, seed: 77, ...(noiseShape ? { noiseShape } : {}) };
      expectBitIdentical(
        await dropout(x, opts).data(),
        await composed(() => dropout(x, opts)).data(),
      );
    }
    const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dropout(t, { rate: 0.4, seed: 5 }), t)))(x);
    const g2 = composed(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dropout(t, { rate: 0.4, seed: 5 }), t)))(x),
    );
    expectClose(await g1.data(), await g2.data(), { atol: 1e-6, rtol: 1e-6 });
  });

  for (const p of [0.1, 0.5, 0.9]) {
    it(`keeps a fraction within 5 sigma of 1 - p for p = ${p}`, async () => {
      const n = 100_003; // not a multiple of 4: the last partial block is used too
      const kept = (await keptOf(dropout(tf.ones([n]), { rate: p, seed: 2024 }))).reduce(
        (a, b) => a + b,
        0,
      );
      expectBinomial(kept, n, 1 - p);
    });
  }

  it('scales kept elements by 1 / (1 - rate) so the mean tracks the input mean', async () => {
    const n = 200_000;
    const x = tf.add(tf.randomNormal([n], 0, 1, 'float32', 1), 3);
    const y = dropout(x, { rate: 0.5, seed: 8 });
    const vals = (await y.data()) as Float32Array;
    const mean = vals.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    const inMean = (await tf.mean(x).data())[0]!;
    expect(Math.abs(mean - inMean)).toBeLessThan((5 * sd) / Math.sqrt(n));
    const xs = await x.data();
    expect(
      Array.from(vals.slice(0, 1000)).every((v, i) => v === 0 || v === Math.fround(xs[i]! * 2)),
    ).toBe(true);
  });

  it('shows no correlation between neighbours or between consecutive calls', async () => {
    const n = 100_000;
    const g = createGenerator(31);
    const a = await keptOf(dropout(tf.ones([n]), { rate: 0.5, seed: g }));
    const b = await keptOf(dropout(tf.ones([n]), { rate: 0.5, seed: g }));
    const bound = 5 / Math.sqrt(n);
    expect(Math.abs(correlation(a.slice(1), a.slice(0, -1)))).toBeLessThan(bound);
    expect(Math.abs(correlation(a.slice(4), a.slice(0, -4)))).toBeLessThan(bound); // next block
    expect(Math.abs(correlation(a, b))).toBeLessThan(bound);
  });

  it('reproduces with the same seed; a generator gives a new mask per call, reproducibly', async () => {
    const x = tf.ones([1000]);
    expect(await keptOf(dropout(x, { rate: 0.5, seed: 3 }))).toEqual(
      await keptOf(dropout(x, { rate: 0.5, seed: 3 })),
    );
    const g1 = createGenerator(3);
    const g2 = createGenerator(3);
    const first = await keptOf(dropout(x, { rate: 0.5, seed: g1 }));
    const second = await keptOf(dropout(x, { rate: 0.5, seed: g1 }));
    expect(first).not.toEqual(second);
    expect(await keptOf(dropout(x, { rate: 0.5, seed: g2 }))).toEqual(first);
    expect(await keptOf(dropout(x, { rate: 0.5, seed: g2 }))).toEqual(second);
    expect(await keptOf(dropout(x, { rate: 0.5, seed: 4 }))).not.toEqual(first);
  });

  it('broadcasts a noise shape: one draw per mask element', async () => {
    const y = dropout(tf.ones([4, 3, 5]), { rate: 0.5, seed: 10, noiseShape: [4, 1, null] });
    const arr = (await y.array()) as number[][][];
    const u = uniform24(20, resolveSeed(10));
    for (let n = 0; n < 4; n++) {
      for (let c = 0; c < 5; c++) {
        const expected = u[n * 5 + c]! < rateThreshold(0.5) ? 0 : 2;
        for (let t = 0; t < 3; t++) expect(arr[n]![t]![c]).toBe(expected);
      }
    }
  });

  it('is the identity for rate 0 or training false', async () => {
    const x = tf.tensor([1, -2, 3.5]);
    expect(Array.from(await dropout(x, { rate: 0 }).data())).toEqual([1, -2, 3.5]);
    expect(Array.from(await dropout(x, { rate: 0.9, training: false }).data())).toEqual([
      1, -2, 3.5,
    ]);
  });

  it('gradient: dx = dy * mask, regenerated, equal to a numerical gradient', async () => {
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 4);
    const w = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
    const f = (t: tf.Tensor) =>
      tf.sum(tf.mul(dropout(t, { rate: 0.35, seed: 21 }), w)) as tf.Scalar;
    const analytic = tf.grad(f)(x);
    expectClose(await analytic.data(), await numericGrad(f, x), { atol: 2e-3, rtol: 2e-3 });
    const mask = dropout(tf.onesLike(x), { rate: 0.35, seed: 21 });
    expectClose(await analytic.data(), await tf.mul(mask, w).data(), { atol: 1e-6 });
  });

  it('works inside tf.tidy and tf.variableGrads without leaking', async () => {
    const v = tf.variable(tf.randomNormal([8, 8], 0, 1, 'float32', 6));
    const g = createGenerator(1);
    await expectNoLeaks(async () => {
      for (let i = 0; i < 200; i++) {
        const value = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(
            () => tf.sum(tf.square(dropout(v, { rate: 0.2, seed: g }))) as tf.Scalar,
          );
          expect(grads[v.name]!.shape).toEqual([8, 8]);
          return value;
        });
        expect((await value.data())[0]).toBeGreaterThan(0);
        value.dispose();
      }
      const y = dropout(v, { rate: 0.5, seed: g });
      y.dispose();
    });
    v.dispose();
  });

  it('keeps no mask: its backward pass allocates only dx, the size of the output', async () => {
    const n = 1 << 16;
    const ours = backwardBytes((t) => dropout(t, { rate: 0.5, seed: 1 }), n);
    expect(ours).toBeLessThanOrEqual(4 * n); // dx only, no regenerated mask tensor
    expect(ours).toBeGreaterThan(0);
  });
});

describeWithBackends('spatial dropout, drop path, stochastic depth, DropConnect', ({ it }) => {
  it('spatialDropout1d/2d/3d drop whole channels, channels-last and channels-first', async () => {
    const cases = [
      [spatialDropout1d, [2, 6, 5], 'channelsLast', [2, 1, 5]],
      [spatialDropout1d, [2, 5, 6], 'channelsFirst', [2, 5, 1]],
      [spatialDropout2d, [2, 3, 4, 5], 'channelsLast', [2, 1, 1, 5]],
      [spatialDropout2d, [2, 5, 3, 4], 'channelsFirst', [2, 5, 1, 1]],
      [spatialDropout3d, [2, 2, 3, 2, 5], 'channelsLast', [2, 1, 1, 1, 5]],
      [spatialDropout3d, [2, 5, 2, 3, 2], 'channelsFirst', [2, 5, 1, 1, 1]],
    ] as const;
    for (const [fn, shape, dataFormat, noiseShape] of cases) {
      const x = tf.randomNormal(shape as unknown as number[], 0, 1, 'float32', 2);
      const y = fn(x, { rate: 0.5, seed: 12, dataFormat });
      const expected = dropout(x, {
        rate: 0.5,
        seed: 12,
        noiseShape: noiseShape as unknown as number[],
      });
      expectBitIdentical(await y.data(), await expected.data());
    }
  });

  it('spatial dropout rejects the wrong rank, naming x', async () => {
    expect(() => spatialDropout2d(tf.ones([2, 3, 4]), { rate: 0.1 })).toThrow(
      /x\.rank: received 3; expected 4/,
    );
    expect(() => spatialDropout1d(tf.ones([2, 3]), { rate: 0.1 })).toThrow(InvalidArgumentError);
    expect(() => spatialDropout3d(tf.ones([2, 3, 4, 5]), { rate: 0.1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      spatialDropout2d(tf.ones([1, 2, 2, 1]), { rate: 0.1, dataFormat: 'NHWC' as 'channelsLast' }),
    ).toThrow(/dataFormat: received "NHWC"/);
  });

  it('dropPath keeps or drops each sample whole, divided by keep, with the kept fraction ~ 1 - p', async () => {
    const n = 20_000;
    const y = dropPath(tf.ones([n, 3]), { rate: 0.25, seed: 4 });
    const rows = (await y.array()) as number[][];
    expect(
      rows.every(
        (r) => r.every((v) => v === r[0]) && (r[0] === 0 || r[0] === Math.fround(1 / 0.75)),
      ),
    ).toBe(true);
    expectBinomial(rows.filter((r) => r[0] !== 0).length, n, 0.75);
    const unscaled = await dropPath(tf.ones([4, 2]), {
      rate: 0.5,
      seed: 4,
      scaleByKeep: false,
    }).data();
    expect(Array.from(unscaled).every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(await dropPath(tf.ones([3, 2]), { rate: 1, seed: 1 }).data())).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('stochasticDepth row is dropPath; batch draws once for the whole batch', async () => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 7);
    expectBitIdentical(
      await stochasticDepth(x, { rate: 0.3, seed: 2 }).data(),
      await dropPath(x, { rate: 0.3, seed: 2 }).data(),
    );
    let dropped = 0;
    const g = createGenerator(0);
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const v = await stochasticDepth(tf.ones([3, 2]), {
        rate: 0.3,
        mode: 'batch',
        seed: g,
      }).data();
      expect(v.every((e) => e === v[0])).toBe(true);
      if (v[0] === 0) dropped++;
    }
    expectBinomial(dropped, trials, 0.3);
    expect(() => stochasticDepth(x, { rate: 0.3, mode: 'col' as 'row' })).toThrow(
      /mode: received "col"/,
    );
  });

  it('dropConnect drops weights; denseDropConnect = x . dropConnect(W) + b, with gradients', async () => {
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
    const b = tf.randomNormal([5], 0, 1, 'float32', 3);
    const y = denseDropConnect(x, w, b, { rate: 0.5, seed: 6 });
    const expected = tf.add(tf.matMul(x, dropConnect(w, { rate: 0.5, seed: 6 })), b);
    expectClose(await y.data(), await expected.data(), { atol: 1e-6 });
    expectClose(await denseDropConnect(x, w, null, 0).data(), await tf.matMul(x, w).data(), {
      atol: 1e-6,
    });
    const f = (t: tf.Tensor) =>
      tf.sum(denseDropConnect(x, t, b, { rate: 0.5, seed: 6 })) as tf.Scalar;
    expectClose(await tf.grad(f)(w).data(), await numericGrad(f, w), { atol: 5e-3, rtol: 5e-3 });
    expect(() => denseDropConnect(x, tf.ones([4, 5]), b, 0.1)).toThrow(
      /kernel\.shape: received \[4,5\]; expected \[3, out\]/,
    );
    expect(() => denseDropConnect(x, w, tf.ones([4]), 0.1)).toThrow(/bias\.shape/);
  });
});

describeWithBackends('bad input', ({ it }) => {
  const x = () => tf.ones([2, 2]);
  const cases: [string, () => unknown, RegExp][] = [
    ['rate 1', () => dropout(x(), { rate: 1 }), /rate: received 1; expected a number in \[0, 1\)/],
    ['negative rate', () => dropout(x(), { rate: -0.1 }), /rate: received -0\.1/],
    ['NaN rate', () => dropout(x(), { rate: Number.NaN }), /rate: received NaN/],
    [
      'infinite rate',
      () => dropConnect(x(), { rate: Number.POSITIVE_INFINITY }),
      /rate: received Infinity/,
    ],
    [
      'drop path rate above 1',
      () => dropPath(x(), { rate: 1.5 }),
      /rate: received 1\.5; expected a number in \[0, 1\]/,
    ],
    [
      'int32 input',
      () => dropout(tf.ones([2], 'int32'), { rate: 0.1 }),
      /x: received "a int32 tensor of shape \[2\]"; expected a float32 tensor/,
    ],
    [
      'a string input',
      () => dropout('abc' as unknown as tf.Tensor, { rate: 0.1 }),
      /x: received "abc"/,
    ],
    [
      'noise shape of the wrong rank',
      () => dropout(x(), { rate: 0.1, noiseShape: [2] }),
      /noiseShape: received \[2\]; expected an array of 2 entries/,
    ],
    [
      'noise shape that does not broadcast',
      () => dropout(x(), { rate: 0.1, noiseShape: [2, 3] }),
      /noiseShape: received \[2,3\]/,
    ],
    [
      'fractional seed',
      () => dropout(x(), { rate: 0.1, seed: 1.5 }),
      /seed: received 1\.5; expected an integer in \[0, 2\^53\)/,
    ],
    ['negative seed', () => dropout(x(), { rate: 0.1, seed: -1 }), /seed: received -1/],
    [
      'seed of 2^53',
      () => dropout(x(), { rate: 0.1, seed: 2 ** 53 }),
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
