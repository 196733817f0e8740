import {
  type DropBlockAttrs,
  DropkitDropBlock,
  DropkitProbDropBlock,
  dropBlock2d,
  dropBlockImpl,
  dropBlockMultipliers,
  probDropBlock2d,
  probDropBlockImpl,
  resolveSeed,
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

interface Case {
  readonly shape: [number, number, number, number];
  readonly attrs: DropBlockAttrs;
}

const describeCase = ({ shape, attrs }: Case) =>
  `[${shape}] ${attrs.dataFormat} bs ${attrs.blockSize} rate ${attrs.rate} ${attrs.perChannel ? 'per-channel' : 'shared'}`;

/** Random maps: non-square, odd and even blocks up to the smaller side, both layouts, both masks. */
function randomCases(seed: number, count: number): Case[] {
  const r = rng(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const [n, h, w, c] = [randInt(r, 1, 3), randInt(r, 1, 13), randInt(r, 1, 13), randInt(r, 1, 5)];
    const dataFormat = r() < 0.5 ? 'NHWC' : 'NCHW';
    const shape: Case['shape'] = dataFormat === 'NHWC' ? [n, h, w, c] : [n, c, h, w];
    const attrs: DropBlockAttrs = {
      rate: Math.round((0.02 + r() * 0.9) * 1000) / 1000,
      blockSize: randInt(r, 1, Math.min(h, w)),
      dataFormat,
      perChannel: r() < 0.6,
      ...randomKey(r),
    };
    out.push({ shape, attrs });
  }
  return out;
}

/** Maps that cross the kernel's tiling: two row bands, several words per row, wide blocks. */
function largeCases(): Case[] {
  const key = (s: number) => resolveSeed(s);
  return [
    {
      shape: [1, 70, 40, 2],
      attrs: { rate: 0.2, blockSize: 5, dataFormat: 'NHWC', perChannel: true, ...key(1) },
    },
    {
      shape: [2, 3, 70, 40],
      attrs: { rate: 0.2, blockSize: 4, dataFormat: 'NCHW', perChannel: true, ...key(2) },
    },
    {
      shape: [2, 9, 100, 3],
      attrs: { rate: 0.3, blockSize: 9, dataFormat: 'NHWC', perChannel: false, ...key(3) },
    },
    {
      shape: [1, 2, 40, 100],
      attrs: { rate: 0.3, blockSize: 33, dataFormat: 'NCHW', perChannel: true, ...key(4) },
    },
    {
      shape: [4, 40, 36, 1],
      attrs: { rate: 0.5, blockSize: 33, dataFormat: 'NHWC', perChannel: true, ...key(5) },
    },
    {
      shape: [2, 130, 7, 3],
      attrs: { rate: 0.15, blockSize: 7, dataFormat: 'NHWC', perChannel: false, ...key(6) },
    },
  ];
}

async function run(
  name: string,
  c: Case,
  xs: Float32Array,
  guide?: Float32Array,
): Promise<Float32Array> {
  const x = tf.tensor(xs, c.shape);
  const g = guide ? tf.tensor(guide, c.shape) : null;
  const y = await take(runKernel(name, g ? { x, guide: g } : { x }, c.attrs));
  x.dispose();
  g?.dispose();
  return y;
}

describe('DropkitDropBlock on webgpu', () => {
  const cases = randomCases(41, 70);

  it('covers both layouts, both mask kinds, odd and even blocks and non-square maps', () => {
    const count = (f: (c: Case) => boolean) => cases.filter(f).length;
    expect(count((c) => c.attrs.dataFormat === 'NCHW')).toBeGreaterThanOrEqual(15);
    expect(count((c) => c.attrs.dataFormat === 'NHWC')).toBeGreaterThanOrEqual(15);
    expect(count((c) => !c.attrs.perChannel)).toBeGreaterThanOrEqual(15);
    expect(count((c) => c.attrs.blockSize % 2 === 0)).toBeGreaterThanOrEqual(10);
    expect(
      count((c) => c.attrs.blockSize % 2 === 1 && c.attrs.blockSize > 1),
    ).toBeGreaterThanOrEqual(10);
  });

  it('is bit-identical to dropBlockImpl on 70 random maps and 6 large ones', async () => {
    const r = rng(42);
    for (const c of [...cases, ...largeCases()]) {
      const xs = testValues(
        r,
        c.shape.reduce((a, b) => a * b, 1),
      );
      expectBitIdentical(
        await run(DropkitDropBlock, c, xs),
        dropBlockImpl(xs, c.shape, c.attrs),
        describeCase(c),
      );
    }
  });

  it('drops something and keeps something on the large maps (the cases are not degenerate)', () => {
    for (const c of largeCases()) {
      const m = dropBlockMultipliers(c.shape, c.attrs).multipliers;
      expect(m.some((v) => v === 0) && m.some((v) => v > 1), describeCase(c)).toBe(true);
    }
  });

  it('multiplies everything by 0 when every position is dropped (kept = 0)', async () => {
    const c: Case = {
      shape: [1, 4, 4, 2],
      attrs: { rate: 0.99, blockSize: 4, dataFormat: 'NHWC', perChannel: false, ...resolveSeed(1) },
    };
    const xs = Float32Array.from({ length: 32 }, (_, i) => i - 16);
    const y = await run(DropkitDropBlock, c, xs);
    expect(Array.from(y).every((v) => v === 0)).toBe(true);
    expectBitIdentical(y, dropBlockImpl(xs, c.shape, c.attrs));
  });

  it('through the op, matches the cpu reference (default per-channel NHWC)', async () => {
    const xs = testValues(rng(43), 2 * 12 * 10 * 3, false);
    const x = tf.tensor(xs, [2, 12, 10, 3]);
    const y = await take(dropBlock2d(x, { rate: 0.25, blockSize: 3, seed: 6 }));
    const attrs: DropBlockAttrs = {
      rate: 0.25,
      blockSize: 3,
      dataFormat: 'NHWC',
      perChannel: true,
      ...resolveSeed(6),
    };
    expectBitIdentical(y, dropBlockImpl(xs, [2, 12, 10, 3], attrs));
    x.dispose();
  });
});

describe('DropkitProbDropBlock on webgpu', () => {
  it('is bit-identical to probDropBlockImpl on 70 random maps and 6 large ones (guide = x)', async () => {
    const r = rng(51);
    for (const c of [...randomCases(52, 70), ...largeCases()]) {
      const xs = testValues(
        r,
        c.shape.reduce((a, b) => a * b, 1),
        false,
      );
      expectBitIdentical(
        await run(DropkitProbDropBlock, c, xs),
        probDropBlockImpl(xs, xs, c.shape, c.attrs),
        describeCase(c),
      );
    }
  });

  it('takes the salience from a separate guide (the backward pass) on 20 random maps', async () => {
    const r = rng(53);
    for (const c of randomCases(54, 20)) {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const xs = testValues(r, n);
      const guide = Float32Array.from(testValues(r, n, false), (v) => v * v * 3);
      expectBitIdentical(
        await run(DropkitProbDropBlock, c, xs, guide),
        probDropBlockImpl(xs, guide, c.shape, c.attrs),
        describeCase(c),
      );
    }
  });

  it("gives DropBlock's mask for a constant, an all-zero and a NaN guide (uniform salience)", async () => {
    const r = rng(55);
    for (const c of randomCases(56, 12)) {
      const n = c.shape.reduce((a, b) => a * b, 1);
      const xs = testValues(r, n, false);
      const plain = dropBlockImpl(xs, c.shape, c.attrs);
      const nanGuide = new Float32Array(n).fill(0.5);
      nanGuide[randInt(r, 0, n - 1)] = Number.NaN;
      for (const guide of [new Float32Array(n).fill(-2.5), new Float32Array(n), nanGuide]) {
        expectBitIdentical(await run(DropkitProbDropBlock, c, xs, guide), plain, describeCase(c));
      }
    }
  });

  it('puts the blocks where the features are: a bright half of the map drops more', async () => {
    const [h, w] = [32, 32];
    const xs = new Float32Array(h * w).map((_, i) => (i % w < w / 2 ? 0.05 : 1));
    const x = tf.tensor(xs, [1, h, w, 1]);
    let bright = 0;
    let dark = 0;
    for (let s = 0; s < 40; s++) {
      const y = await take(probDropBlock2d(x, { rate: 0.2, blockSize: 3, seed: s }));
      y.forEach((v, i) => {
        if (v !== 0) return;
        if (i % w < w / 2) dark++;
        else bright++;
      });
    }
    x.dispose();
    expect(bright).toBeGreaterThan(3 * dark);
  });
});
