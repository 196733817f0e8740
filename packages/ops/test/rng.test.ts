import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import {
  createGenerator,
  Generator,
  getDefaultGenerator,
  normalNoise,
  rateThreshold,
  resolveSeed,
  setSeed,
  threefry4x32,
  uniform24,
} from '../src/index.js';

const hex = (w: Uint32Array) => Array.from(w, (v) => v.toString(16).padStart(8, '0')).join(' ');
const block = (c: number[], k: number[]) => {
  const out = new Uint32Array(4);
  threefry4x32(out, 0, c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, k[2]!, k[3]!);
  return hex(out);
};

describe('Threefry4x32-20 known-answer vectors (Random123)', () => {
  it('all zeros', () => {
    expect(block([0, 0, 0, 0], [0, 0, 0, 0])).toBe('9c6ca96a e17eae66 fc10ecd4 5256a7d8');
  });
  it('all ones', () => {
    const f = 0xffffffff;
    expect(block([f, f, f, f], [f, f, f, f])).toBe('2a881696 57012287 f6c7446e a16a6732');
  });
  it('pi digits', () => {
    expect(
      block(
        [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
        [0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89],
      ),
    ).toBe('59cd1dbb b8879579 86b5d00c ac8b6d84');
  });
});

describe('noise layout', () => {
  it('element i is word i mod 4 of block floor(i/4), shifted to 24 bits', () => {
    const key = resolveSeed(2 ** 40 + 17);
    const u = uniform24(10, key);
    for (let i = 0; i < 10; i++) {
      const w = new Uint32Array(4);
      threefry4x32(
        w,
        0,
        Math.floor(i / 4),
        0,
        0,
        0,
        key.seedLo,
        key.seedHi,
        key.streamLo,
        key.streamHi,
      );
      expect(u[i]).toBe(w[i % 4]! >>> 8);
    }
    expect(key).toEqual({ seedLo: 17, seedHi: 256, streamLo: 0, streamHi: 0 });
  });
  it('a prefix of a longer draw is the shorter draw (elements are independent of the length)', () => {
    const key = resolveSeed(5);
    expect(Array.from(uniform24(7, key))).toEqual(Array.from(uniform24(1001, key).slice(0, 7)));
    expect(Array.from(normalNoise(5, key))).toEqual(Array.from(normalNoise(64, key).slice(0, 5)));
  });
  it('rateThreshold rounds rate * 2^24', () => {
    expect(rateThreshold(0)).toBe(0);
    expect(rateThreshold(0.1)).toBe(1677722); // 1677721.6
    expect(rateThreshold(1)).toBe(16777216);
  });
  it('uniforms are uniform: chi-square over 64 bins stays below the 1e-6 tail', () => {
    const n = 200_000;
    const u = uniform24(n, resolveSeed(99));
    const bins = new Array(64).fill(0);
    for (const v of u) bins[v >>> 18]++;
    const e = n / 64;
    const chi = bins.reduce((a, b) => a + (b - e) ** 2 / e, 0);
    expect(chi).toBeLessThan(130); // 63 dof: P(chi2 > 130) ~ 1e-6
    expect(chi).toBeGreaterThan(20); // far too even is broken as well
  });
  it('normal noise has mean 0, variance 1 and normal tails', () => {
    const n = 200_000;
    const z = normalNoise(n, resolveSeed(123));
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const beyond2 = z.filter((v) => Math.abs(v) > 2).length / n; // 0.0455
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(5 * Math.sqrt((0.0455 * 0.9545) / n));
  });
});

describe('generators and seeds', () => {
  it('a generator hands out streams 0, 1, 2 in call order and restores from its state', () => {
    const g = createGenerator(7);
    expect([g.nextStream(), g.nextStream()]).toEqual([0, 1]);
    const h = Generator.fromState(g.state);
    expect([g.nextStream(), h.nextStream()]).toEqual([2, 2]);
  });
  it('resolveSeed: a number is stream 0; a generator advances; none uses the default', () => {
    expect(resolveSeed(3)).toEqual({ seedLo: 3, seedHi: 0, streamLo: 0, streamHi: 0 });
    const g = createGenerator(2 ** 33 + 1);
    resolveSeed(g);
    expect(resolveSeed(g)).toEqual({ seedLo: 1, seedHi: 2, streamLo: 1, streamHi: 0 });
    setSeed(11);
    expect(resolveSeed(undefined)).toEqual({ seedLo: 11, seedHi: 0, streamLo: 0, streamHi: 0 });
    expect(getDefaultGenerator().state).toEqual({ seed: 11, nextStream: 1 });
  });
  it.each([-1, 1.5, 2 ** 53, Number.NaN, '3'])('rejects seed %s', (bad) => {
    expect(() => resolveSeed(bad as number)).toThrow(InvalidArgumentError);
    expect(() => resolveSeed(bad as number)).toThrow(
      /seed: received .*; expected an integer in \[0, 2\^53\)/,
    );
    expect(() => createGenerator(bad as number)).toThrow(InvalidArgumentError);
  });
});
