import {
  boxMuller,
  normalNoise,
  rateThreshold,
  resolveSeed,
  type SeedAttrs,
  threefry4x32,
  uniform24,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import { type KernelExports, kernelInstance } from '../src/kernelInstance.js';
import { padTo32, type WasmHeapBackend, wasmMemoryOf, withScratch } from '../src/wasmHeap.js';
import { intIn, randomKey, rng } from './helpers.js';

let backend: WasmHeapBackend;
let k: KernelExports;

beforeAll(async () => {
  await initWasm();
  backend = tf.backend() as unknown as WasmHeapBackend;
  k = kernelInstance(backend);
});

/** Runs `fill` on a scratch buffer of `bytes` and returns a copy of its contents. */
function scratch<T extends Uint32Array | Int32Array | Float64Array>(
  bytes: number,
  view: new (buffer: ArrayBuffer, offset: number, length: number) => T,
  fill: (ptr: number) => void,
): T {
  return withScratch(backend, [bytes], ([ptr]) => {
    fill(ptr as number);
    const per = view === (Float64Array as unknown) ? 8 : 4;
    const v = new view(wasmMemoryOf(backend).buffer as ArrayBuffer, ptr as number, bytes / per);
    return v.slice() as T;
  });
}

/**
 * The forms of threefry.ts that `threefryWords` runs, with the blocks each writes: the grouped
 * form (9, two SIMD sets and a scalar block) and the eight-block form (8) for counters
 * (c0, 0, 0, 0), the general blocks8Counter (0) for any counter.
 */
const formsOf = (c: number[]): [form: number, blocks: number][] =>
  c[1] === 0 && c[2] === 0 && c[3] === 0
    ? [
        [9, 9],
        [8, 8],
        [0, 8],
      ]
    : [[0, 8]];

const words = (form: number, blocks: number, c: number[], key: number[]) =>
  scratch(16 * blocks, Uint32Array, (p) =>
    k.threefryWords(
      p,
      form,
      ...(c as [number, number, number, number]),
      ...(key as [number, number, number, number]),
    ),
  );

describe('the vectorised Threefry4x32-20', () => {
  it('reproduces the Random123 known-answer vectors in every block of every form', () => {
    const kat: [number[], number[], number[]][] = [
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0x9c6ca96a, 0xe17eae66, 0xfc10ecd4, 0x5256a7d8],
      ],
      [
        [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
        [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
        [0x2a881696, 0x57012287, 0xf6c7446e, 0xa16a6732],
      ],
      [
        [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
        [0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89],
        [0x59cd1dbb, 0xb8879579, 0x86b5d00c, 0xac8b6d84],
      ],
    ];
    for (const [c, key, expected] of kat) {
      for (const [form, blocks] of formsOf(c)) {
        // Block j computes counter c0 + j: put the vector's counter in each block in turn.
        for (let j = 0; j < blocks; j++) {
          const out = words(form, blocks, [(c[0]! - j) >>> 0, c[1]!, c[2]!, c[3]!], key);
          expect(Array.from(out.slice(4 * j, 4 * j + 4)), `form ${form} block ${j}`).toEqual(
            expected,
          );
        }
      }
    }
  });

  it('agrees with the scalar reference on random counters and keys, in every form', () => {
    const next = rng(11);
    const ref = new Uint32Array(4);
    for (let t = 0; t < 200; t++) {
      // Half the cases have c1 = c2 = c3 = 0: the kernels' forms, with precomputed first rounds.
      const high = t % 2 === 0;
      const c = [
        intIn(next, 0, 0xffffffff),
        high ? intIn(next, 0, 0xffffffff) : 0,
        high ? intIn(next, 0, 0xffffffff) : 0,
        high ? intIn(next, 0, 0xffffffff) : 0,
      ];
      const key = [0, 0, 0, 0].map(() => intIn(next, 0, 0xffffffff));
      for (const [form, blocks] of formsOf(c)) {
        const out = words(form, blocks, c, key);
        for (let j = 0; j < blocks; j++) {
          threefry4x32(
            ref,
            0,
            (c[0]! + j) >>> 0,
            c[1]!,
            c[2]!,
            c[3]!,
            key[0]!,
            key[1]!,
            key[2]!,
            key[3]!,
          );
          expect(
            Array.from(out.slice(4 * j, 4 * j + 4)),
            `case ${t} form ${form} block ${j}`,
          ).toEqual(Array.from(ref));
        }
      }
    }
  });
});

describe('the noise layouts of threefry.ts', () => {
  const key = (next: () => number): SeedAttrs => randomKey(next);
  const keyWords = (a: SeedAttrs) => [a.seedLo, a.seedHi, a.streamLo, a.streamHi] as const;

  it('uniform24 and dropMask give the uniform layout of every count, within the padded buffer', () => {
    const next = rng(12);
    for (const count of [
      1, 3, 4, 15, 16, 17, 31, 32, 33, 35, 36, 37, 71, 72, 73, 100, 1000, 4099,
    ]) {
      const a = key(next);
      const padded = padTo32(count);
      const u = scratch(padded * 4, Uint32Array, (p) => k.uniform24(p, count, ...keyWords(a)));
      const expected = uniform24(padded, a);
      expect(Array.from(u), `count ${count}`).toEqual(Array.from(expected));
      const thr = rateThreshold(next());
      const m = scratch(padded * 4, Int32Array, (p) => k.dropMask(p, count, thr, ...keyWords(a)));
      expect(Array.from(m)).toEqual(Array.from(expected, (v) => (v < thr ? -1 : 0)));
    }
  });

  it('normalNoise gives the float64 Box-Muller values of the normal layout to 1e-15', () => {
    // 2^18 normals: the log and cos of math.ts against Math.log and Math.cos, value by value, and
    // their float32 roundings (what the kernels use) identical.
    const count = 1 << 18;
    const a = resolveSeed(123456789);
    const z = scratch(count * 8, Float64Array, (p) => k.normalNoise(p, count, ...keyWords(a)));
    const block = new Uint32Array(4);
    let worst = 0;
    for (let b = 0; b < count / 2; b++) {
      threefry4x32(block, 0, b, 0, 0, 0, a.seedLo, a.seedHi, a.streamLo, a.streamHi);
      for (let j = 0; j < 2; j++) {
        const expected = boxMuller(block[2 * j]!, block[2 * j + 1]!);
        const got = z[2 * b + j]!;
        worst = Math.max(worst, Math.abs(got - expected) / Math.max(1, Math.abs(expected)));
      }
    }
    expect(worst).toBeLessThan(1e-15);
    expect(Array.from(Float32Array.from(z))).toEqual(Array.from(normalNoise(count, a)));
  });
});
