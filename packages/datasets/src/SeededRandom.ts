import { assertInteger, InvalidArgumentError } from '@dropkit/core';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64's output function (Stafford's "mix 13"): a bijection of 64-bit words. */
export function splitMix64Mix(z: bigint): bigint {
  let x = z & MASK64;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return x ^ (x >> 31n);
}

/**
 * SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c): the outputs that follow `state`.
 * Used only to expand a seed and a stream into a xoshiro128** state.
 */
export function splitMix64(state: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let s = state & MASK64;
  for (let i = 0; i < count; i++) {
    s = (s + GOLDEN_GAMMA) & MASK64;
    out.push(splitMix64Mix(s));
  }
  return out;
}

/** The largest seed or stream accepted: seeds are integers in [0, 2^53), as in @dropkit/ops. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Checks a seed: an integer in [0, 2^53).
 *
 * @param name - the parameter name used in the error message.
 * @param value - the value to check.
 * @returns the seed.
 * @throws InvalidArgumentError for anything else.
 * @example
 * ```ts
 * import { assertSeed } from '@dropkit/datasets';
 * console.log(assertSeed('seed', 42)); // 42
 * ```
 */
export function assertSeed(name: string, value: unknown): number {
  return assertInteger(name, value, { min: 0, max: MAX_SAFE });
}

/**
 * A seeded pseudo-random generator: xoshiro128** 1.1 (Blackman and Vigna 2018), whose 128-bit
 * state is expanded from `(seed, stream)` by SplitMix64. Exactly: `x = mix(seed) XOR stream`
 * (64-bit, `mix` being SplitMix64's output function), then the next two SplitMix64 outputs from
 * `x` give the state words `(lo(o1), hi(o1), lo(o2), hi(o2))`. Different streams of one seed are
 * independent sequences, so a shuffle for epoch 7 does not depend on epochs 0 to 6. Only 32-bit
 * integer arithmetic runs per draw, so it is fast and identical on every JavaScript engine.
 *
 * @example
 * ```ts
 * import { SeededRandom } from '@dropkit/datasets';
 * const a = new SeededRandom(42, 3);
 * const b = new SeededRandom(42, 3);
 * console.log(a.nextUint32() === b.nextUint32(), a.nextFloat() < 1); // true true
 * ```
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined = undefined;

  /**
   * @param seed - an integer in [0, 2^53).
   * @param stream - an integer in [0, 2^53) that selects an independent sequence. Default 0.
   */
  constructor(seed: number, stream = 0) {
    assertSeed('seed', seed);
    assertSeed('stream', stream);
    const [o1, o2] = splitMix64(splitMix64Mix(BigInt(seed)) ^ BigInt(stream), 2) as [
      bigint,
      bigint,
    ];
    this.s0 = Number(o1 & 0xffffffffn);
    this.s1 = Number(o1 >> 32n);
    this.s2 = Number(o2 & 0xffffffffn);
    this.s3 = Number(o2 >> 32n);
    // The all-zero state is xoshiro's only fixed point; SplitMix64 reaches it with odds 2^-128.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * A generator started at an explicit xoshiro128** state (for known-answer tests).
   *
   * @param state - four 32-bit words, not all zero.
   * @returns a generator whose next output is computed from that state.
   * @example
   * ```ts
   * import { SeededRandom } from '@dropkit/datasets';
   * console.log(SeededRandom.fromState([1, 2, 3, 4]).nextUint32()); // 11520
   * ```
   */
  static fromState(state: readonly [number, number, number, number]): SeededRandom {
    const words = state.map((w, i) => assertInteger(`state[${i}]`, w, { min: 0, max: 0xffffffff }));
    if (words.every((w) => w === 0)) {
      throw new InvalidArgumentError('state', state, 'four 32-bit words, not all zero');
    }
    const r = new SeededRandom(0);
    [r.s0, r.s1, r.s2, r.s3] = words as [number, number, number, number];
    return r;
  }

  /**
   * The next 32-bit output of xoshiro128**.
   *
   * @returns an integer in [0, 2^32).
   * @example
   * ```ts
   * import { SeededRandom } from '@dropkit/datasets';
   * const u = new SeededRandom(1).nextUint32();
   * console.log(Number.isInteger(u) && u >= 0 && u < 2 ** 32); // true
   * ```
   */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits: `(a >>> 5) * 2^26 + (b >>> 6)` over 2^53, from
   * two consecutive outputs `a`, `b`.
   *
   * @returns a number in [0, 1).
   * @example
   * ```ts
   * import { SeededRandom } from '@dropkit/datasets';
   * const x = new SeededRandom(7).nextFloat();
   * console.log(x >= 0 && x < 1); // true
   * ```
   */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, bound), without modulo bias: outputs at or above the largest multiple
   * of `bound` below 2^32 are rejected and drawn again, then the remainder is taken.
   *
   * @param bound - an integer in [1, 2^32].
   * @returns an integer in [0, bound).
   * @example
   * ```ts
   * import { SeededRandom } from '@dropkit/datasets';
   * const k = new SeededRandom(3).nextInt(6);
   * console.log(k >= 0 && k < 6); // true
   * ```
   */
  nextInt(bound: number): number {
    if (!(Number.isInteger(bound) && bound >= 1 && bound <= 0x100000000)) {
      throw new InvalidArgumentError('bound', bound, 'an integer in [1, 2^32]');
    }
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % bound;
    }
  }

  /**
   * A standard normal draw by the Box–Muller transform: from `u1 = 1 - nextFloat()` (in (0, 1])
   * and `u2 = nextFloat()`, `sqrt(-2 ln u1) * cos(2 pi u2)` is returned and
   * `sqrt(-2 ln u1) * sin(2 pi u2)` is kept for the next call.
   *
   * @returns a draw from N(0, 1).
   * @example
   * ```ts
   * import { SeededRandom } from '@dropkit/datasets';
   * const z = new SeededRandom(5).nextNormal();
   * console.log(Number.isFinite(z)); // true
   * ```
   */
  nextNormal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
}

/**
 * The streams of one seed that each part of this package uses, so that shuffles, splits and
 * synthetic sets drawn from the same seed never share random numbers: stream = tag * 2^32 + index.
 */
export const STREAM_TAGS = {
  /** `Dataset.batches`: index = epoch. */
  epoch: 0,
  /** `Dataset.split`. */
  split: 1,
  /** Synthetic sets: inputs / positions. */
  inputs: 2,
  /** Synthetic sets: additive noise. */
  noise: 3,
  /** Synthetic sets: fixed parameters (blob centers, teacher weights). */
  parameters: 4,
} as const;

/** The stream number for a tag and an index: `tag * 2^32 + index`. */
export function streamOf(tag: number, index = 0): number {
  return tag * 0x100000000 + index;
}

/**
 * A uniformly random permutation of 0..n-1: Fisher–Yates (Durstenfeld) from the identity, for i
 * from n-1 down to 1 swapping position i with `nextInt(i + 1)`, drawn from
 * `new SeededRandom(seed, stream)`.
 *
 * @param n - the length, an integer in [0, 2^32).
 * @param seed - an integer in [0, 2^53).
 * @param stream - an integer in [0, 2^53). Default 0.
 * @returns the permutation.
 * @example
 * ```ts
 * import { permutation } from '@dropkit/datasets';
 * const p = permutation(5, 42);
 * console.log(Array.from(p).sort().join(',')); // 0,1,2,3,4
 * ```
 */
export function permutation(n: number, seed: number, stream = 0): Uint32Array {
  assertInteger('n', n, { min: 0, max: 0xffffffff });
  const rng = new SeededRandom(seed, stream);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}
