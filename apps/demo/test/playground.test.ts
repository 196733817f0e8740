import { initCpu } from '@dropkit/backend-cpu';
import { InvalidArgumentError } from '@dropkit/core';
import { expectNoLeaks } from '@dropkit/test-utils';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as playground from '../src/playground/index.ts';
import {
  buildTestBatch,
  buildTestImage,
  keptFraction,
  PLAYGROUND_VARIANTS,
  type PlaygroundParams,
  readPlaygroundParams,
  renderVariants,
  TEST_IMAGE_FLOOR,
  tileBatch,
  toRgba,
  type VariantRender,
} from '../src/playground/index.ts';
import { CONTRACT_VARIANTS } from './contractVariants.ts';

const SIZE = 96;
const image = buildTestImage(SIZE);

beforeAll(async () => {
  await initCpu();
});

/** Binomial bound: |count - n p| <= z sqrt(n p (1 - p)). */
function expectBinomial(count: number, n: number, p: number, z = 5): void {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(
    Math.abs(count - n * p),
    `count ${count} of ${n} vs ${n * p} expected (sigma ${sigma.toFixed(1)})`,
  ).toBeLessThanOrEqual(z * sigma);
}

function renderOf(params: PlaygroundParams, name: string): VariantRender {
  const variant = PLAYGROUND_VARIANTS.find((v) => v.name === name);
  if (!variant) throw new Error(`no variant ${name}`);
  const [render] = renderVariants(image, params, [variant]);
  if (!render) throw new Error(`variant ${name} rendered nothing`);
  return render;
}

/** Per pixel: true where all three channels are 0. Throws if a pixel is only partly dropped. */
function droppedPixels(values: Float32Array): boolean[] {
  const out: boolean[] = [];
  for (let p = 0; p < values.length / 3; p++) {
    const zeros = [0, 1, 2].filter((k) => values[p * 3 + k] === 0).length;
    if (zeros !== 0 && zeros !== 3) throw new Error(`pixel ${p} has ${zeros} of 3 channels zero`);
    out.push(zeros === 3);
  }
  return out;
}

function brightness(p: number): number {
  const d = image.data;
  return ((d[p * 3] as number) + (d[p * 3 + 1] as number) + (d[p * 3 + 2] as number)) / 3;
}

describe('the test picture', () => {
  it('is 96 x 96 RGB, every value in [floor, 1], never exactly 0', () => {
    expect([image.height, image.width, image.channels]).toEqual([96, 96, 3]);
    expect(image.data).toHaveLength(96 * 96 * 3);
    expect(Math.min(...image.data)).toBeGreaterThanOrEqual(TEST_IMAGE_FLOOR);
    expect(Math.max(...image.data)).toBeLessThanOrEqual(1);
    expect(image.data.includes(0)).toBe(false);
  });

  it('is colourful and has both bright and dim regions (something for every op to show)', () => {
    const colours = new Set<string>();
    let bright = 0;
    let dim = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      colours.add(Array.from(image.data.subarray(p * 3, p * 3 + 3), (v) => v.toFixed(2)).join());
      if (brightness(p) > 0.6) bright++;
      if (brightness(p) < 0.35) dim++;
    }
    expect(colours.size).toBeGreaterThan(200);
    expect(bright / (SIZE * SIZE)).toBeGreaterThan(0.1);
    expect(dim / (SIZE * SIZE)).toBeGreaterThan(0.2);
  });

  it('is drawn the same every time and scales to other sizes', () => {
    expect(buildTestImage(SIZE).data).toEqual(image.data);
    const small = buildTestImage(24);
    expect(small.data).toHaveLength(24 * 24 * 3);
    // The sun sits in the top-left quarter at every size: bright and warm there.
    const at = (img: typeof small, u: number, v: number) => {
      const p = (Math.floor(v * img.height) * img.width + Math.floor(u * img.width)) * 3;
      return Array.from(img.data.subarray(p, p + 3));
    };
    for (const img of [image, small]) {
      const [r, g, b] = at(img, 0.27, 0.27) as [number, number, number];
      expect(r).toBeGreaterThan(0.9);
      expect(b).toBeLessThan(r - 0.5);
      expect(g).toBeGreaterThan(0.5);
    }
  });

  it('rejects sizes that are not integers in [8, 1024]', () => {
    for (const bad of [7, 1025, 9.5, Number.NaN]) {
      expect(() => buildTestImage(bad)).toThrowError(InvalidArgumentError);
    }
    expect(() => buildTestImage(3)).toThrowError(/size/);
  });

  it('makes a batch whose first 12 samples all differ, the first being the picture itself', () => {
    const size = 16;
    const per = size * size * 3;
    const batch = buildTestBatch(16, size);
    expect(batch).toHaveLength(16 * per);
    expect(batch.subarray(0, per)).toEqual(buildTestImage(size).data);
    const samples = Array.from({ length: 12 }, (_, n) =>
      Array.from(batch.subarray(n * per, (n + 1) * per)).join(),
    );
    expect(new Set(samples).size).toBe(12);
    expect(() => buildTestBatch(0, size)).toThrowError(InvalidArgumentError);
  });
});

describe('pixels', () => {
  it('maps [0, 1] to 0..255, clamps outside, and is opaque', () => {
    const { data, width, height } = toRgba([0, 0.5, 1, -0.3, 1.7, 0.2], 1, 2, 3);
    expect([width, height]).toEqual([2, 1]);
    expect(Array.from(data)).toEqual([0, 128, 255, 255, 0, 255, 51, 255]);
  });

  it('draws one channel as grey', () => {
    expect(Array.from(toRgba([0.4], 1, 1, 1).data)).toEqual([102, 102, 102, 255]);
  });

  it('refuses NaN (an op bug must not render as black) and mismatched lengths', () => {
    expect(() => toRgba([0, Number.NaN, 0], 1, 1, 3)).toThrowError(/values\[1\]/);
    expect(() => toRgba([0, 0], 1, 1, 3)).toThrowError(InvalidArgumentError);
    expect(() => toRgba([0, 0, 0, 0], 1, 1, 4 as 3)).toThrowError(/channels/);
  });

  it('tiles a batch row by row into a contact sheet', () => {
    // 5 samples of 2 x 3 x 1, each filled with its index, 2 per row: a 6 x 6 sheet, 0 past the end.
    const values = Array.from({ length: 5 * 6 }, (_, i) => Math.floor(i / 6) + 1);
    const sheet = tileBatch({ count: 5, height: 2, width: 3, channels: 1, values }, 2);
    expect([sheet.height, sheet.width]).toEqual([6, 6]);
    const row = (y: number) => Array.from(sheet.values.subarray(y * 6, y * 6 + 6));
    expect(row(0)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(row(3)).toEqual([3, 3, 3, 4, 4, 4]);
    expect(row(5)).toEqual([5, 5, 5, 0, 0, 0]);
    expect(() => tileBatch({ count: 2, height: 1, width: 1, channels: 1, values: [1] }, 1)).toThrow(
      InvalidArgumentError,
    );
  });

  it('counts kept elements against the dropped value', () => {
    expect(keptFraction([0, 2, 0, 2, 2])).toBe(0.6);
    expect(keptFraction([-1.5, 0, 3], -1.5)).toBe(2 / 3);
    expect(keptFraction([])).toBe(1);
  });
});

describe('controls', () => {
  it('accepts valid values and names the parameter of a bad one', () => {
    expect(readPlaygroundParams({ seed: 0, rate: 0, blockSize: 96 }, 96)).toEqual({
      seed: 0,
      rate: 0,
      blockSize: 96,
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ seed: -1 }, /seed.*-1/],
      [{ seed: 1.5 }, /seed/],
      [{ rate: Number.NaN }, /rate.*NaN/],
      [{ rate: 1 }, /rate.*\[0, 1\)/],
      [{ blockSize: 97 }, /blockSize.*97.*96/],
      [{ blockSize: 0 }, /blockSize/],
    ];
    for (const [patch, message] of cases) {
      const raw = { seed: 1, rate: 0.3, blockSize: 5, ...patch };
      expect(() => readPlaygroundParams(raw, 96)).toThrowError(InvalidArgumentError);
      expect(() => readPlaygroundParams(raw, 96)).toThrowError(message);
    }
  });
});

describe('the variants on the cpu backend', () => {
  const params: PlaygroundParams = { seed: 1234, rate: 0.3, blockSize: 9 };

  it('shows at least the contract variants, each on a 96 x 96 canvas, leaking no tensor', async () => {
    const renders = await expectNoLeaks(() => renderVariants(image, params));
    const names = renders.map((r) => r.name);
    for (const name of CONTRACT_VARIANTS) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const r of renders) {
      expect([r.picture.width, r.picture.height], r.name).toEqual([SIZE, SIZE]);
      expect(r.picture.data, r.name).toHaveLength(SIZE * SIZE * 4);
      expect(r.kept, r.name).toBeGreaterThanOrEqual(0);
      expect(r.kept, r.name).toBeLessThanOrEqual(1);
    }
    const original = renders.find((r) => r.name === 'original');
    expect(original?.values).toEqual(image.data);
    expect(original?.kept).toBe(1);
  });

  it('dropout at rate 0.3 keeps 70% of the 96 x 96 x 3 values (binomial bound)', () => {
    const n = SIZE * SIZE * 3;
    const r = renderOf(params, 'dropout');
    expectBinomial(Math.round(r.kept * n), n, 0.7);
    // Kept values are the picture's, scaled by 1 / (1 - rate).
    for (let i = 0; i < n; i += 97) {
      const v = r.values[i] as number;
      if (v !== 0) expect(v).toBeCloseTo((image.data[i] as number) / 0.7, 5);
    }
  });

  it('the same seed draws identical pixels, another seed different ones', () => {
    const again = renderVariants(image, params);
    const first = renderVariants(image, params);
    const other = renderVariants(image, { ...params, seed: 99 });
    // Byte comparison: a deep equal over 37k-element arrays is slow on a busy machine.
    const same = (a: Uint8ClampedArray | undefined, b: Uint8ClampedArray) =>
      a !== undefined && Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
    for (const [i, r] of first.entries()) {
      expect(same(again[i]?.picture.data, r.picture.data), r.name).toBe(true);
      // Three channels give spatial dropout only 8 possible masks: two seeds may agree.
      if (r.name === 'original' || r.name === 'spatialDropout2d') continue;
      expect(same(other[i]?.picture.data, r.picture.data), r.name).toBe(false);
    }
  });

  it('spatial dropout and pixel dropout drop whole channels and whole pixels', () => {
    let droppedChannels = 0;
    for (let seed = 0; seed < 40; seed++) {
      const { values } = renderOf({ ...params, seed }, 'spatialDropout2d');
      for (let k = 0; k < 3; k++) {
        const zeros = Array.from({ length: SIZE * SIZE }, (_, p) => values[p * 3 + k] === 0);
        const all = zeros.every(Boolean);
        expect(all || zeros.every((z) => !z), `seed ${seed} channel ${k}`).toBe(true);
        if (all) droppedChannels++;
      }
    }
    expectBinomial(droppedChannels, 120, 0.3);
    const pixels = droppedPixels(renderOf(params, 'pixelDropout').values);
    expectBinomial(pixels.filter(Boolean).length, SIZE * SIZE, 0.3);
  });

  it("DropBlock's dropped pixels come in whole block x block squares, about rate of the picture", () => {
    const bs = params.blockSize;
    const hs = SIZE - bs + 1;
    const gamma = (params.rate * SIZE * SIZE) / (bs * bs * hs * hs);
    // Expected dropped fraction from the geometry alone: pixel (y, x) is covered by cy * cx seed
    // positions, each firing with probability gamma.
    const cover = (t: number) => Math.min(t, hs - 1) - Math.max(0, t - bs + 1) + 1;
    let expected = 0;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) expected += 1 - (1 - gamma) ** (cover(y) * cover(x));
    }
    expected /= SIZE * SIZE;

    const seeds = 20;
    let total = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const r = renderOf({ ...params, seed }, 'dropBlock2d');
      const dropped = droppedPixels(r.values);
      const at = (y: number, x: number) => dropped[y * SIZE + x] === true;
      const squareAt = (y0: number, x0: number) => {
        for (let y = y0; y < y0 + bs; y++)
          for (let x = x0; x < x0 + bs; x++) if (!at(y, x)) return false;
        return true;
      };
      // Every dropped pixel lies inside some fully dropped square that fits in the picture.
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          if (!at(y, x)) continue;
          let inSquare = false;
          for (let y0 = Math.max(0, y - bs + 1); y0 <= Math.min(y, hs - 1) && !inSquare; y0++) {
            for (let x0 = Math.max(0, x - bs + 1); x0 <= Math.min(x, hs - 1); x0++) {
              if (squareAt(y0, x0)) {
                inSquare = true;
                break;
              }
            }
          }
          expect(inSquare, `seed ${seed}: pixel (${y}, ${x}) dropped outside a block`).toBe(true);
        }
      }
      const fraction = dropped.filter(Boolean).length / dropped.length;
      expect(1 - r.kept).toBeCloseTo(fraction, 10);
      total += fraction;
    }
    expect(expected).toBeGreaterThan(0.2);
    expect(Math.abs(total / seeds - expected)).toBeLessThan(0.05);
  });

  it('ProbDropBlock drops about as much as DropBlock, but more of the bright pixels', () => {
    // Per variant over 20 seeds: the dropped fraction of the bright pixels, of the dim pixels, and
    // of the whole picture.
    const dropRates = (name: string) => {
      let bright = 0;
      let dim = 0;
      let all = 0;
      let brightCount = 0;
      let dimCount = 0;
      for (let p = 0; p < SIZE * SIZE; p++) {
        if (brightness(p) > 0.6) brightCount++;
        if (brightness(p) < 0.3) dimCount++;
      }
      const seeds = 20;
      for (let seed = 0; seed < seeds; seed++) {
        const dropped = droppedPixels(renderOf({ ...params, seed }, name).values);
        dropped.forEach((d, p) => {
          if (!d) return;
          all++;
          if (brightness(p) > 0.6) bright++;
          if (brightness(p) < 0.3) dim++;
        });
      }
      return {
        ratio: bright / brightCount / (dim / dimCount),
        total: all / (seeds * SIZE * SIZE),
      };
    };
    const uniform = dropRates('dropBlock2d');
    const salient = dropRates('probDropBlock2d');
    // DropBlock ignores the content: bright and dim pixels are dropped alike, up to the picture's
    // dim border, which fewer blocks can reach.
    expect(uniform.ratio).toBeLessThan(1.5);
    expect(salient.ratio).toBeGreaterThan(1.6);
    expect(salient.ratio).toBeGreaterThan(1.3 * uniform.ratio);
    expect(Math.abs(salient.total - uniform.total)).toBeLessThan(0.04);
  });

  it('the per-channel DropBlock drops squares in one colour plane at a time', () => {
    const { values } = renderOf(params, 'dropBlock2dPerChannel');
    let partial = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      const zeros = [0, 1, 2].filter((k) => values[p * 3 + k] === 0).length;
      if (zeros === 1 || zeros === 2) partial++;
    }
    expect(partial).toBeGreaterThan(SIZE * SIZE * 0.1);
  });

  it('alpha dropout drops exactly where dropout does (same seed), to one negative value', () => {
    const a = renderOf(params, 'alphaDropout');
    const d = renderOf(params, 'dropout');
    const droppedByDropout = Array.from(d.values, (v) => v === 0);
    const dropValue = a.values[droppedByDropout.indexOf(true)] as number;
    expect(dropValue).toBeLessThan(-1);
    expect(Array.from(a.values, (v) => v === dropValue)).toEqual(droppedByDropout);
    expect(a.kept).toBe(d.kept);
  });

  it('Gaussian dropout drops nothing and multiplies by noise of mean 1 and variance rate/(1-rate)', () => {
    const r = renderOf(params, 'gaussianDropout');
    expect(r.kept).toBe(1);
    const ratios = Array.from(r.values, (v, i) => v / (image.data[i] as number));
    const n = ratios.length;
    const mean = ratios.reduce((s, v) => s + v, 0) / n;
    const variance = ratios.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    const target = params.rate / (1 - params.rate);
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(target / n));
    expect(Math.abs(variance - target)).toBeLessThan(0.05 * target);
  });

  it('standout keeps bright values more often than dim ones, mid-grey at 1 - rate', () => {
    const { values } = renderOf(params, 'standout');
    const keptWhere = (test: (v: number) => boolean) => {
      let kept = 0;
      let all = 0;
      image.data.forEach((v, i) => {
        if (!test(v)) return;
        all++;
        if (values[i] !== 0) kept++;
      });
      return { kept, all };
    };
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const beta = Math.log(0.7 / 0.3);
    // Values are kept unscaled; the keep probability of each value is known, so the kept count
    // is a sum of Bernoullis: compare with its mean and variance.
    let mean = 0;
    let variance = 0;
    for (const v of image.data) {
      const p = sigmoid(4 * (v - 0.5) + beta);
      mean += p;
      variance += p * (1 - p);
    }
    const kept = Array.from(values).filter((v) => v !== 0).length;
    expect(Math.abs(kept - mean)).toBeLessThan(5 * Math.sqrt(variance));
    const bright = keptWhere((v) => v > 0.8);
    const dim = keptWhere((v) => v < 0.3);
    expect(bright.kept / bright.all).toBeGreaterThan(dim.kept / dim.all + 0.15);
    image.data.forEach((v, i) => {
      if (values[i] !== 0) expect(values[i]).toBe(v);
    });
  });

  it('drop path zeroes whole samples of the 4 x 4 batch and scales the rest', () => {
    let droppedSamples = 0;
    const tile = SIZE / 4;
    for (let seed = 0; seed < 10; seed++) {
      const r = renderOf({ ...params, seed }, 'dropPath');
      const dropped = droppedPixels(r.values);
      for (let n = 0; n < 16; n++) {
        const top = Math.floor(n / 4) * tile;
        const left = (n % 4) * tile;
        const states = new Set<boolean>();
        for (let y = top; y < top + tile; y++) {
          for (let x = left; x < left + tile; x++) states.add(dropped[y * SIZE + x] === true);
        }
        expect(states.size, `seed ${seed} sample ${n}`).toBe(1);
        if (states.has(true)) droppedSamples++;
      }
      expect((r.kept * 16) % 1).toBeCloseTo(0, 10);
    }
    expectBinomial(droppedSamples, 160, 0.3);
  });

  it('rate 0 keeps everything in every variant', () => {
    for (const r of renderVariants(image, { ...params, rate: 0 })) expect(r.kept, r.name).toBe(1);
  });

  it('a block larger than the picture is an InvalidArgumentError naming blockSize', async () => {
    await expectNoLeaks(() => {
      expect(() => renderVariants(image, { ...params, blockSize: 97 })).toThrowError(
        InvalidArgumentError,
      );
      expect(() => renderVariants(image, { ...params, blockSize: 97 })).toThrowError(/blockSize/);
    });
  });
});

describeExamples(new URL('../src/playground', import.meta.url), {
  '@dropkit/demo/playground': playground,
  '@tensorflow/tfjs-core': tf,
});
