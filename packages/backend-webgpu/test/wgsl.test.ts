import { threefry4x32 } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flatDispatch, flatLayout, type WebGpuProgram } from '../src/programs/webGpuProgram.js';
import { COS_TURNS_WGSL, EXACT_RATIO_WGSL, LN_U1_WGSL } from '../src/wgsl/mathWgsl.js';
import { THREEFRY_WGSL } from '../src/wgsl/threefryWgsl.js';
import { rng, runProbe, useWebGpu } from './helpers.js';

useWebGpu();

/** A test-only program: `code` defines main(index) over `count` invocations. */
class Probe implements WebGpuProgram {
  variableNames = ['A'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  constructor(
    private readonly code: string,
    count: number,
    outputs: number,
  ) {
    this.outputShape = [outputs];
    this.shaderKey = `probe_${code.length}_${count}`;
    this.dispatch = flatDispatch(count, 64);
  }
  getUserCode(): string {
    // A phony use: a layout derived from the shader drops unused bindings, and the backend
    // always binds the uniforms.
    return this.code.replace(
      'fn main(index : i32) {',
      'fn main(index : i32) {\n    _ = uniforms.NAN;',
    );
  }
}

const words = (values: ArrayLike<number>) =>
  tf.tensor1d(
    Int32Array.from(values, (v) => v | 0),
    'int32',
  );

describe('Threefry4x32-20 in WGSL', () => {
  it('gives the Random123 known-answer vectors', async () => {
    const cases = [
      [[0, 0, 0, 0], [0, 0, 0, 0], '9c6ca96a e17eae66 fc10ecd4 5256a7d8'],
      [[-1, -1, -1, -1], [-1, -1, -1, -1], '2a881696 57012287 f6c7446e a16a6732'],
      [
        [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
        [0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89],
        '59cd1dbb b8879579 86b5d00c ac8b6d84',
      ],
    ] as const;
    const input = words(cases.flatMap(([c, k]) => [...c, ...k]));
    const out = await runProbe(
      new Probe(threefryProbe(cases.length), cases.length, cases.length * 4),
      [input],
      'int32',
    );
    input.dispose();
    cases.forEach(([, , expected], i) => {
      const got = Array.from(out.slice(4 * i, 4 * i + 4), (w) => w.toString(16).padStart(8, '0'));
      expect(got.join(' ')).toBe(expected);
    });
  });

  it('matches the cpu threefry4x32 on 4096 random counters and keys', async () => {
    const r = rng(11);
    const count = 4096;
    const data = Array.from({ length: count * 8 }, () => Math.floor(r() * 2 ** 32));
    const input = words(data);
    const out = await runProbe(new Probe(threefryProbe(count), count, count * 4), [input], 'int32');
    input.dispose();
    const expected = new Uint32Array(count * 4);
    for (let i = 0; i < count; i++) {
      const w = data.slice(8 * i, 8 * i + 8) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      threefry4x32(expected, 4 * i, ...w);
    }
    expect(Array.from(out)).toEqual(Array.from(expected));
  });
});

function threefryProbe(count: number): string {
  const a = (k: number) => `bitcast<u32>(A[8u * i + ${k}u])`;
  return `
  ${THREEFRY_WGSL}
  fn main(index : i32) {
    let i = u32(index);
    if (i < ${count}u) {
      let c = vec4<u32>(${a(0)}, ${a(1)}, ${a(2)}, ${a(3)});
      let k = vec4<u32>(${a(4)}, ${a(5)}, ${a(6)}, ${a(7)});
      let w = threefry4x32(c, k, k.x ^ k.y ^ k.z ^ k.w ^ 0x1bd11bdau);
      result[4u * i] = bitcast<i32>(w.x);
      result[4u * i + 1u] = bitcast<i32>(w.y);
      result[4u * i + 2u] = bitcast<i32>(w.z);
      result[4u * i + 3u] = bitcast<i32>(w.w);
    }
  }`;
}

/** Runs a vec4 function of `u32` words on `values` and returns its float32 results. */
async function vec4Function(
  snippet: string,
  fn: string,
  values: readonly number[],
): Promise<Float32Array> {
  const padded = [...values];
  while (padded.length % 4 !== 0) padded.push(0);
  const count = padded.length / 4;
  const code = `
  ${snippet}
  fn main(index : i32) {
    let i = u32(index);
    if (i < ${count}u) {
      let w = bitcast<vec4<u32>>(vec4<i32>(A[4u * i], A[4u * i + 1u], A[4u * i + 2u], A[4u * i + 3u]));
      let r = ${fn}(w);
      result[4u * i] = r.x;
      result[4u * i + 1u] = r.y;
      result[4u * i + 2u] = r.z;
      result[4u * i + 3u] = r.w;
    }
  }`;
  const input = words(padded);
  const out = await runProbe(new Probe(code, count, padded.length), [input], 'float32');
  input.dispose();
  return new Float32Array(out.buffer).slice(0, values.length);
}

describe('the Box-Muller helpers', () => {
  // Every quarter-turn boundary and its neighbours, the ends, and a spread of random words.
  const r = rng(5);
  const turns = [
    0, 1, 2, 0x1fffff, 0x200000, 0x200001, 0x3fffff, 0x400000, 0x400001, 0x5fffff, 0x600000,
  ];
  turns.push(
    0x7fffff,
    0x800000,
    0x9fffff,
    0xa00000,
    0xbfffff,
    0xc00000,
    0xdfffff,
    0xe00000,
    0xffffff,
  );
  for (let i = 0; i < 4000; i++) turns.push(Math.floor(r() * 2 ** 24));

  it('cos_turns(j) = cos(2 pi j / 2^24) to 2e-7 relative, even next to the zeros', async () => {
    const got = await vec4Function(COS_TURNS_WGSL, 'cos_turns', turns);
    turns.forEach((j, i) => {
      const ref = Math.cos((2 * Math.PI * j) / 2 ** 24);
      // Relative to the value, with an absolute floor at float32 resolution of the angle.
      const err = Math.abs((got[i] as number) - ref);
      expect(err, `j = ${j}: ${got[i]} vs ${ref}`).toBeLessThanOrEqual(
        2e-7 * Math.abs(ref) + 1e-12,
      );
    });
  });

  it('box_muller_ln(w) = ln(((w >> 8) + 1) / 2^24) to 2e-7 relative, 0 at u1 = 1', async () => {
    const ws = turns.map((j) => j * 256 + (j & 0xff));
    const got = await vec4Function(LN_U1_WGSL, 'box_muller_ln', ws);
    ws.forEach((w, i) => {
      const ref = Math.log(((w >>> 8) + 1) / 2 ** 24);
      const err = Math.abs((got[i] as number) - ref);
      expect(err, `w = ${w}: ${got[i]} vs ${ref}`).toBeLessThanOrEqual(2e-7 * Math.abs(ref));
    });
  });
});

describe('exact_ratio', () => {
  /** Correctly rounded float32 of num / den, by BigInt arithmetic (no float64 in between). */
  function correctlyRounded(num: number, den: number): number {
    const n = BigInt(num);
    const d = BigInt(den);
    let e = 0;
    while (n * 2n ** 24n >= d * 2n ** BigInt(e + 25)) e++;
    // q has 25 bits: 24 of the significand and the guard bit.
    const scaled = n * 2n ** BigInt(24 - e);
    const q = scaled / d;
    const sticky = scaled % d !== 0n;
    let m = q >> 1n;
    if ((q & 1n) === 1n && (sticky || (m & 1n) === 1n)) m += 1n;
    return Number(m) * 2 ** (e - 23);
  }

  /** Quotients within 2^-54 of a float32 midpoint, where float64 rounds first to the midpoint. */
  function doubleRoundingCases(count: number): [number, number][] {
    const r = rng(3);
    const out: [number, number][] = [];
    while (out.length < count) {
      const q = BigInt(2 ** 24 + 2 * randIntBig(r, 2 ** 23) + 1); // odd: a midpoint in [1, 2)
      const inv = modInverse(q, 2n ** 24n);
      const den = inv + 2n ** 24n * BigInt(64 + Math.floor(r() * 63));
      const num = (q * den - 1n) / 2n ** 24n; // num / den = q / 2^24 - 1 / (den 2^24)
      if ((q * den - 1n) % 2n ** 24n === 0n) out.push([Number(num), Number(den)]);
    }
    return out;
  }

  it("is JavaScript's Math.fround(num / den) for random pairs and double-rounding cases", async () => {
    const r = rng(9);
    const pairs: [number, number][] = [
      [1, 1],
      [7, 7],
      [2 ** 32 - 1, 1],
      [2 ** 32 - 1, 3],
      [2 ** 32 - 1, 2 ** 32 - 2],
      [100, 37],
    ];
    for (let i = 0; i < 400; i++) {
      const den = 1 + Math.floor(r() ** 3 * (2 ** 32 - 2));
      pairs.push([den + Math.floor(r() * (2 ** 32 - 1 - den)), den]);
    }
    const tricky = doubleRoundingCases(64);
    // The crafted cases must really separate the two roundings, or they test nothing.
    expect(
      tricky.filter(([n, d]) => Math.fround(n / d) !== correctlyRounded(n, d)).length,
    ).toBeGreaterThan(8);
    pairs.push(...tricky);
    const code = `
    ${EXACT_RATIO_WGSL}
    fn main(index : i32) {
      let i = u32(index);
      if (i < ${pairs.length}u) {
        result[i] = exact_ratio(bitcast<u32>(A[2u * i]), bitcast<u32>(A[2u * i + 1u]));
      }
    }`;
    const input = words(pairs.flat());
    const out = new Float32Array(
      (await runProbe(new Probe(code, pairs.length, pairs.length), [input], 'float32')).buffer,
    );
    input.dispose();
    pairs.forEach(([n, d], i) => {
      expect(out[i], `${n} / ${d}`).toBe(Math.fround(n / d));
    });
  });
});

function randIntBig(r: () => number, below: number): number {
  return Math.floor(r() * below);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, rem] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (rem !== 0n) {
    const q = oldR / rem;
    [oldR, rem] = [rem, oldR - q * rem];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
