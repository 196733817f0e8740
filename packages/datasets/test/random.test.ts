import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import { permutation, SeededRandom } from '../src/index.js';
import { splitMix64 } from '../src/SeededRandom.js';
import { meanStd } from './helpers.js';

describe('SeededRandom', () => {
  it('xoshiro128** matches the reference outputs from state {1, 2, 3, 4}', () => {
    // Blackman and Vigna's xoshiro128starstar.c, as listed in rand_xoshiro's `reference` test.
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ];
    const r = SeededRandom.fromState([1, 2, 3, 4]);
    expect(expected.map(() => r.nextUint32())).toEqual(expected);
  });

  it('SplitMix64 matches the reference outputs for seed 1477776061723855037', () => {
    // Vigna's splitmix64.c, as listed in rand_xoshiro's `reference` test.
    expect(splitMix64(1477776061723855037n, 5)).toEqual([
      1985237415132408290n,
      2979275885539914483n,
      13511426838097143398n,
      8488337342461049707n,
      15141737807933549159n,
    ]);
  });

  it('is reproducible per (seed, stream), and seeds and streams give different sequences', () => {
    const draw = (seed: number, stream: number) => {
      const r = new SeededRandom(seed, stream);
      return Array.from({ length: 8 }, () => r.nextUint32());
    };
    expect(draw(3, 0)).toEqual(draw(3, 0));
    const variants = [draw(3, 0), draw(4, 0), draw(3, 1), draw(0, 3), draw(2 ** 53 - 1, 2 ** 40)];
    expect(new Set(variants.map((v) => v.join())).size).toBe(variants.length);
  });

  it('nextFloat is uniform on [0, 1): mean 1/2, variance 1/12, every decile about 10%', () => {
    const r = new SeededRandom(11);
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, () => r.nextFloat());
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(std ** 2 - 1 / 12)).toBeLessThan(0.002);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const deciles = new Array<number>(10).fill(0);
    for (const x of xs) {
      const d = Math.floor(x * 10);
      deciles[d] = (deciles[d] as number) + 1;
    }
    const sd = Math.sqrt(n * 0.1 * 0.9);
    for (const c of deciles) expect(Math.abs(c - n / 10)).toBeLessThan(5 * sd);
  });

  it('nextInt is unbiased even for a bound that does not divide 2^32', () => {
    const r = new SeededRandom(5);
    const bound = 3 * 2 ** 30; // plain `% bound` would make 0..2^30-1 twice as likely
    const n = 60_000;
    let low = 0;
    for (let i = 0; i < n; i++) {
      const k = r.nextInt(bound);
      expect(k).toBeLessThan(bound);
      if (k < 2 ** 30) low++;
    }
    expect(Math.abs(low - n / 3)).toBeLessThan(5 * Math.sqrt((n * 2) / 9));
    expect(() => r.nextInt(0)).toThrow(InvalidArgumentError);
    expect(() => r.nextInt(2 ** 32 + 1)).toThrow(/bound/);
    expect(new SeededRandom(1).nextInt(1)).toBe(0);
  });

  it('nextNormal has mean 0, variance 1 and normal tails', () => {
    const r = new SeededRandom(8);
    const n = 200_000;
    const zs = Float64Array.from({ length: n }, () => r.nextNormal());
    const { mean, std } = meanStd(zs);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
    const beyond2 = zs.filter((z) => Math.abs(z) > 2).length / n; // 0.0455 for N(0, 1)
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.003);
  });

  it('rejects seeds and streams outside [0, 2^53) and all-zero states', () => {
    expect(() => new SeededRandom(-1)).toThrow(/seed: received -1/);
    expect(() => new SeededRandom(0.5)).toThrow(InvalidArgumentError);
    expect(() => new SeededRandom(1, 2 ** 53)).toThrow(/stream/);
    expect(() => SeededRandom.fromState([0, 0, 0, 0])).toThrow(/state/);
  });
});

describe('permutation', () => {
  it('is a permutation of 0..n-1 for small and large n', () => {
    for (const n of [0, 1, 2, 17, 10_000]) {
      const p = permutation(n, 3);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('moves each element to every position with equal probability', () => {
    const n = 6;
    const trials = 12_000;
    const at = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let t = 0; t < trials; t++) {
      permutation(n, 99, t).forEach((v, pos) => {
        const row = at[v] as number[];
        row[pos] = (row[pos] as number) + 1;
      });
    }
    const sd = Math.sqrt(trials * (1 / n) * (1 - 1 / n));
    for (const row of at)
      for (const c of row) expect(Math.abs(c - trials / n)).toBeLessThan(5 * sd);
  });
});
