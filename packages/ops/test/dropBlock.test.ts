import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import {
  createGenerator,
  dropBlock2d,
  probDropBlock2d,
  resolveSeed,
  uniform24,
} from '../src/index.js';
import { composed, expectBitIdentical, numericGrad } from './helpers.js';

const f32 = async (t: tf.Tensor) => (await t.data()) as Float32Array;

/** Dropped flags of an NHWC output for an all-ones input: [n][h][w][c]. */
const droppedOf = async (y: tf.Tensor) =>
  ((await y.array()) as number[][][][]).map((a) =>
    a.map((r) => r.map((p) => p.map((v) => v === 0))),
  );

/** Seeds covering pixel (y, x): seeds (i, j) with i <= y < i + bs, j <= x < j + bs on the seed grid. */
function coverage(y: number, x: number, h: number, w: number, bs: number): number {
  const rows = Math.min(y, h - bs) - Math.max(0, y - bs + 1) + 1;
  const cols = Math.min(x, w - bs) - Math.max(0, x - bs + 1) + 1;
  return Math.max(0, rows) * Math.max(0, cols);
}

/** Why the composed ProbDropBlock / standout tests cannot run on webgpu in Node. */
const SYNC_READ_REASON =
  'its composed fallback reads the layer input synchronously (dataSync) to draw a data-dependent mask; webgpu in Node has no synchronous read (tfjs needs OffscreenCanvas), and webgpu always runs the fused kernel, tested against the cpu reference in @dropkit/backend-webgpu';

describeWithBackends('dropBlock2d', ({ it }) => {
  it('matches a mask rebuilt by hand from the seed grid, numel / kept scale included', async () => {
    const [h, w, bs, rate, seed] = [4, 5, 2, 0.5, 17];
    const x = tf.randomNormal([1, h, w, 1], 0, 1, 'float32', 1);
    const y = await f32(dropBlock2d(x, { rate, blockSize: bs, seed }));
    const hs = h - bs + 1;
    const ws = w - bs + 1;
    const gamma = (rate * h * w) / (bs * bs * hs * ws);
    const u = uniform24(hs * ws, resolveSeed(seed));
    const dropped = new Array(h * w).fill(false);
    for (let i = 0; i < hs; i++) {
      for (let j = 0; j < ws; j++) {
        if (u[i * ws + j]! >= Math.round(gamma * 2 ** 24)) continue;
        for (let a = i; a < i + bs; a++) for (let b = j; b < j + bs; b++) dropped[a * w + b] = true;
      }
    }
    const kept = dropped.filter((d) => !d).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(h * w); // the seed was chosen so something is dropped
    const scale = Math.fround((h * w) / kept);
    expectBitIdentical(
      y,
      Float32Array.from(await f32(x), (v, i) => v * (dropped[i] ? 0 : scale)),
    );
  });

  it('drops whole bs x bs squares for odd and even sizes on non-square maps', async () => {
    for (const bs of [2, 3, 4, 5]) {
      const d = await droppedOf(
        dropBlock2d(tf.ones([2, 7, 11, 3]), { rate: 0.3, blockSize: bs, seed: bs }),
      );
      let any = 0;
      for (const sample of d) {
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < 7; y++) {
            for (let x = 0; x < 11; x++) {
              if (!sample[y]![x]![c]) continue;
              any++;
              // some full block inside the map contains (y, x) and is dropped entirely
              let covered = false;
              for (let i = Math.max(0, y - bs + 1); i <= Math.min(y, 7 - bs) && !covered; i++) {
                for (let j = Math.max(0, x - bs + 1); j <= Math.min(x, 11 - bs) && !covered; j++) {
                  let all = true;
                  for (let a = i; a < i + bs && all; a++)
                    for (let b = j; b < j + bs && all; b++) all = sample[a]![b]![c]!;
                  covered = all;
                }
              }
              expect(covered, `bs ${bs}: (${y}, ${x}) dropped outside any full block`).toBe(true);
            }
          }
        }
      }
      expect(any).toBeGreaterThan(0);
    }
  });

  it('NCHW gives the NHWC mask transposed; shared masks are equal across channels', async () => {
    const a = dropBlock2d(tf.ones([2, 6, 7, 3]), { rate: 0.3, blockSize: 3, seed: 5 });
    const b = dropBlock2d(tf.ones([2, 3, 6, 7]), {
      rate: 0.3,
      blockSize: 3,
      seed: 5,
      dataFormat: 'NCHW',
    });
    expectBitIdentical(await f32(a), await f32(tf.transpose(b, [0, 2, 3, 1])));
    const shared = await droppedOf(
      dropBlock2d(tf.ones([2, 8, 8, 4]), { rate: 0.3, blockSize: 3, seed: 6, perChannel: false }),
    );
    expect(shared.flat(2).every((p) => p.every((v) => v === p[0]))).toBe(true);
    const own = await droppedOf(
      dropBlock2d(tf.ones([2, 8, 8, 4]), { rate: 0.3, blockSize: 3, seed: 6 }),
    );
    expect(own.flat(2).every((p) => p.every((v) => v === p[0]))).toBe(false);
    const sharedNchw = dropBlock2d(tf.ones([2, 4, 8, 8]), {
      rate: 0.3,
      blockSize: 3,
      seed: 6,
      perChannel: false,
      dataFormat: 'NCHW',
    });
    expectBitIdentical(
      await f32(tf.transpose(sharedNchw, [0, 2, 3, 1])),
      await f32(
        dropBlock2d(tf.ones([2, 8, 8, 4]), { rate: 0.3, blockSize: 3, seed: 6, perChannel: false }),
      ),
    );
  });

  it('drops the expected fraction 1 - (1 - gamma)^coverage, within 5 sigma, on several maps', async () => {
    for (const [h, w, bs, rate] of [
      [16, 16, 3, 0.1],
      [32, 20, 5, 0.2],
      [28, 28, 7, 0.1],
    ] as const) {
      const hs = h - bs + 1;
      const ws = w - bs + 1;
      const gamma = (rate * h * w) / (bs * bs * hs * ws);
      let expected = 0;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) expected += 1 - (1 - gamma) ** coverage(y, x, h, w, bs);
      expected /= h * w;
      const g = createGenerator(h * w);
      const fractions: number[] = [];
      for (let t = 0; t < 40; t++) {
        const y = await f32(dropBlock2d(tf.ones([4, h, w, 4]), { rate, blockSize: bs, seed: g }));
        fractions.push(y.filter((v) => v === 0).length / y.length);
      }
      const mean = fractions.reduce((a, b) => a + b) / fractions.length;
      const sd = Math.sqrt(
        fractions.reduce((a, b) => a + (b - mean) ** 2, 0) / (fractions.length - 1),
      );
      expect(Math.abs(mean - expected), `${h}x${w} bs ${bs}: ${mean} vs ${expected}`).toBeLessThan(
        (5 * sd) / Math.sqrt(fractions.length),
      );
      expect(Math.abs(expected - rate) / rate).toBeLessThan(0.25); // gamma makes it about the rate
    }
  });

  it('rescales so the output mean tracks the input mean', async () => {
    // mean(y) is the mean of the ~30k kept values of N(3, 1): its spread around mean(x) is a few
    // thousandths (blocks correlate neighbours, but x is i.i.d.), so 0.05 is many sigma; without
    // the rescale the mean would drop by about the rate, 0.6.
    const x = tf.add(tf.randomNormal([8, 24, 24, 8], 0, 1, 'float32', 3), 3);
    const y = dropBlock2d(x, { rate: 0.2, blockSize: 5, seed: 8 });
    expect(Math.abs((await tf.mean(y).data())[0]! - (await tf.mean(x).data())[0]!)).toBeLessThan(
      0.05,
    );
  });

  it('composed fallback is bit-identical; gradient = dy * mask * scale = numerical gradient', async () => {
    const x = tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 4);
    for (const opts of [
      { rate: 0.3, blockSize: 2, seed: 3 },
      { rate: 0.3, blockSize: 3, seed: 3, perChannel: false },
      { rate: 0.3, blockSize: 3, seed: 3, dataFormat: 'NCHW' as const },
    ]) {
      expectBitIdentical(
        await f32(dropBlock2d(x, opts)),
        await f32(composed(() => dropBlock2d(x, opts))),
      );
      const w = tf.randomNormal(x.shape, 0, 1, 'float32', 9);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(dropBlock2d(t, opts), w)) as tf.Scalar;
      const g = await f32(tf.grad(f)(x));
      // dy = w here, so both paths compute the same float32 product w * scale (or w * 0).
      expectBitIdentical(g, await f32(tf.mul(dropBlock2d(tf.onesLike(x), opts), w)));
      expectBitIdentical(g, await f32(composed(() => tf.grad(f)(x))));
      expectClose(g, await numericGrad(f, x), { atol: 5e-3, rtol: 5e-3 });
    }
  });

  it('a seed reproduces; a generator draws a new mask per call', async () => {
    const x = tf.ones([1, 12, 12, 2]);
    expectBitIdentical(
      await f32(dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 2 })),
      await f32(dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 2 })),
    );
    const g = createGenerator(2);
    expect(Array.from(await f32(dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: g })))).not.toEqual(
      Array.from(await f32(dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: g }))),
    );
  });
});

describeWithBackends(
  'probDropBlock2d',
  ({ it }) => {
    it('with uniform salience, is exactly DropBlock', async () => {
      const x = tf.ones([2, 10, 9, 3]);
      expectBitIdentical(
        await f32(probDropBlock2d(x, { rate: 0.25, blockSize: 3, seed: 12 })),
        await f32(dropBlock2d(x, { rate: 0.25, blockSize: 3, seed: 12 })),
      );
    });

    it('puts blocks where the salience is, keeping the overall expected fraction', async () => {
      const [h, w, bs] = [20, 20, 3];
      // Left half 10x as salient as the right half.
      const map = tf.tensor4d(
        Array.from({ length: h * w }, (_, k) => (k % w < w / 2 ? 10 : 1)),
        [1, h, w, 1],
      );
      const x = tf.tile(map, [4, 1, 1, 2]);
      const g = createGenerator(1);
      const h2 = createGenerator(1);
      let left = 0;
      let right = 0;
      let plainTotal = 0;
      for (let t = 0; t < 30; t++) {
        const d = await droppedOf(probDropBlock2d(x, { rate: 0.15, blockSize: bs, seed: g }));
        for (const s of d) {
          for (let y = 0; y < h; y++) {
            for (let c = 0; c < w; c++) {
              for (const v of s[y]![c]!) {
                if (v && c < w / 2) left++;
                else if (v) right++;
              }
            }
          }
        }
        plainTotal += (await f32(dropBlock2d(x, { rate: 0.15, blockSize: bs, seed: h2 }))).filter(
          (v) => v === 0,
        ).length;
      }
      expect(left).toBeGreaterThan(3 * right);
      const probFraction = (left + right) / (30 * x.size);
      const plainFraction = plainTotal / (30 * x.size);
      expect(Math.abs(probFraction - plainFraction) / plainFraction).toBeLessThan(0.2);
    });

    it('zero input gives zeros, never NaN; composed path and gradients agree', async () => {
      const z = await f32(
        probDropBlock2d(tf.zeros([1, 6, 6, 2]), { rate: 0.3, blockSize: 2, seed: 1 }),
      );
      expect(z.every((v) => v === 0)).toBe(true);
      const x = tf.abs(tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 5));
      const opts = { rate: 0.3, blockSize: 3, seed: 7 };
      expectBitIdentical(
        await f32(probDropBlock2d(x, opts)),
        await f32(composed(() => probDropBlock2d(x, opts))),
      );
      const w = tf.randomNormal(x.shape, 0, 1, 'float32', 6);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(probDropBlock2d(t, opts), w)) as tf.Scalar;
      const g = await f32(tf.grad(f)(x));
      const mask = tf.div(probDropBlock2d(x, opts), x); // x > 0 almost surely
      expectClose(g, await f32(tf.mul(mask, w)), { atol: 1e-5, rtol: 1e-5 });
      expectBitIdentical(g, await f32(composed(() => tf.grad(f)(x))));
    });

    it("a sample with zero or non-finite salience draws seeds with DropBlock's uniform gamma", async () => {
      const opts = { rate: 0.25, blockSize: 3, seed: 21 };
      // The gradient exposes the mask (times the scale) even where x is 0.
      const maskOf = async (op: typeof dropBlock2d, x: tf.Tensor) =>
        await f32(tf.grad((t: tf.Tensor) => tf.sum(op(t, opts)))(x));
      const plain = await maskOf(dropBlock2d, tf.ones([1, 9, 8, 2]));
      expect(plain.some((v) => v === 0)).toBe(true);
      expectBitIdentical(await maskOf(probDropBlock2d, tf.zeros([1, 9, 8, 2])), plain);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const x = tf.tensor4d(
          Array.from({ length: 9 * 8 * 2 }, (_, k) => (k === 37 ? bad : 1 + (k % 5))),
          [1, 9, 8, 2],
        );
        expectBitIdentical(await maskOf(probDropBlock2d, x), plain);
      }
      // One seed cell, infinite salience: Inf / Inf must not become a NaN threshold that fires.
      const one = tf.tensor4d([Number.POSITIVE_INFINITY, 1, 1, 1], [1, 2, 2, 1]);
      const single = { rate: 0.25, blockSize: 2 };
      for (let seed = 0; seed < 8; seed++) {
        expectBitIdentical(
          await f32(
            tf.grad((t: tf.Tensor) => tf.sum(probDropBlock2d(t, { ...single, seed })))(one),
          ),
          await f32(tf.grad((t: tf.Tensor) => tf.sum(dropBlock2d(t, { ...single, seed })))(one)),
        );
      }
    });

    it('a seed whose probability gamma * factor exceeds 1 always fires, with no NaN', async () => {
      // DropBlock's own gamma never exceeds the rate (bs (H - bs + 1) >= H, the same for W), so
      // only ProbDropBlock's factor S / mean(S) can push a seed's probability past 1.
      const hot = tf.tensor4d(
        Array.from({ length: 36 }, (_, k) => (k === 0 ? 1000 : 0)),
        [1, 6, 6, 1],
      );
      // Only blocks covering (0, 0) have salience: the seed at (0, 0), factor 25 (its S is
      // 1000 / 4, the mean 1000 / (4 * 25)), gamma = 0.3 * 36 / (4 * 25) = 0.108, 0.108 * 25 > 1.
      for (let seed = 0; seed < 20; seed++) {
        const g = await f32(
          tf.grad((t: tf.Tensor) => tf.sum(probDropBlock2d(t, { rate: 0.3, blockSize: 2, seed })))(
            hot,
          ),
        );
        expect(g.every((v) => !Number.isNaN(v))).toBe(true);
        // the clamped seed always fires: the 2x2 block at (0, 0) is dropped, nothing else is
        expect([g[0], g[1], g[6], g[7]]).toEqual([0, 0, 0, 0]);
        expect(g.filter((v) => v === 0).length).toBe(4);
        expect(g[2]).toBe(Math.fround(36 / 32));
      }
    });
  },
  {
    skip: {
      webgpu: {
        'zero input gives zeros, never NaN; composed path and gradients agree': SYNC_READ_REASON,
      },
    },
  },
);

describeWithBackends('DropBlock: leaks and bad input', ({ it }) => {
  it('no tensors leak over 100 forward+backward calls', async () => {
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 1);
    const g = createGenerator(0);
    await expectNoLeaks(async () => {
      for (let i = 0; i < 100; i++) {
        tf.tidy(() => {
          tf.grad((t: tf.Tensor) => tf.sum(dropBlock2d(t, { rate: 0.2, blockSize: 3, seed: g })))(
            x,
          );
          tf.grad((t: tf.Tensor) =>
            tf.sum(probDropBlock2d(t, { rate: 0.2, blockSize: 3, seed: g })),
          )(x);
        });
      }
    });
  });
  const x = () => tf.ones([1, 6, 5, 2]);
  const cases: [string, () => unknown, RegExp][] = [
    [
      'rate 1',
      () => dropBlock2d(x(), { rate: 1 }),
      /rate: received 1; expected a number in \[0, 1\)/,
    ],
    [
      'NaN rate',
      () => probDropBlock2d(x(), { rate: Number.NaN, blockSize: 2 }),
      /rate: received NaN/,
    ],
    [
      'int32 input',
      () => dropBlock2d(tf.ones([1, 4, 4, 1], 'int32'), { rate: 0.1, blockSize: 2 }),
      /x: received "a int32 tensor/,
    ],
    [
      'wrong rank',
      () => dropBlock2d(tf.ones([4, 4, 1]), { rate: 0.1, blockSize: 2 }),
      /x\.rank: received 3; expected 4/,
    ],
    [
      'block size 0',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 0 }),
      /blockSize: received 0; expected an integer >= 1/,
    ],
    [
      'fractional block size',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 2.5 }),
      /blockSize: received 2\.5/,
    ],
    [
      'block larger than the map',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 6 }),
      /blockSize: received 6; expected an integer in \[1, 5\], the smaller side of the 6x5 map/,
    ],
    [
      'default block 7 on a small map',
      () => dropBlock2d(x(), { rate: 0.1 }),
      /blockSize: received 7/,
    ],
    [
      'bad data format',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 2, dataFormat: 'NWHC' as 'NHWC' }),
      /dataFormat: received "NWHC"/,
    ],
    [
      'non-boolean perChannel',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 2, perChannel: 1 as unknown as boolean }),
      /perChannel: received 1; expected true or false/,
    ],
    [
      'bad seed',
      () => dropBlock2d(x(), { rate: 0.1, blockSize: 2, seed: 0.5 }),
      /seed: received 0\.5/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(name, async () => {
      expect(fn).toThrow(InvalidArgumentError);
      expect(fn).toThrow(message);
    });
  }
});
