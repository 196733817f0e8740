import { InvalidArgumentError } from '@dropkit/core';
import type { SeedAttrs } from '../kernel_names.js';

const TWO_32 = 2 ** 32;
const TWO_53 = 2 ** 53;

/**
 * Checks that a seed (or stream) is an integer in [0, 2^53).
 *
 * @param name - the parameter name for the error message.
 * @param value - the value to check.
 * @returns the value.
 * @throws InvalidArgumentError otherwise.
 * @example
 * ```ts
 * import { assertSeed } from '@dropkit/ops';
 * console.log(assertSeed('seed', 42)); // 42
 * ```
 */
export function assertSeed(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= TWO_53) {
    throw new InvalidArgumentError(name, value, 'an integer in [0, 2^53)');
  }
  return value;
}

/** The state of a {@link Generator}: its seed and the next stream it will hand out. */
export interface GeneratorState {
  readonly seed: number;
  readonly nextStream: number;
}

/**
 * A seeded source of streams: each call of an op given this generator takes the next stream, so
 * every call gets a new mask and a run is reproducible from the seed. No state lives on a device.
 */
export class Generator {
  /** The seed, an integer in [0, 2^53). */
  readonly seed: number;
  #next: number;

  /**
   * @param seed - an integer in [0, 2^53).
   * @param nextStream - the first stream to hand out (default 0); used to restore a state.
   */
  constructor(seed: number, nextStream = 0) {
    this.seed = assertSeed('seed', seed);
    this.#next = assertSeed('nextStream', nextStream);
  }

  /** Takes the next stream. */
  nextStream(): number {
    const s = this.#next;
    if (s + 1 >= TWO_53)
      throw new InvalidArgumentError('stream', s + 1, 'below 2^53 (generator exhausted)');
    this.#next = s + 1;
    return s;
  }

  /** The state to checkpoint; `Generator.fromState` restores it. */
  get state(): GeneratorState {
    return { seed: this.seed, nextStream: this.#next };
  }

  /**
   * Restores a generator from a checkpointed state.
   *
   * @param state - from {@link Generator.state}.
   * @returns a generator that continues where the saved one stopped.
   */
  static fromState(state: GeneratorState): Generator {
    return new Generator(state.seed, state.nextStream);
  }
}

/**
 * Makes a generator: streams 0, 1, 2, ... of `seed`, handed out in call order.
 *
 * @param seed - an integer in [0, 2^53).
 * @returns the generator.
 * @example
 * ```ts
 * import { createGenerator } from '@dropkit/ops';
 * const g = createGenerator(7);
 * console.log(g.nextStream(), g.nextStream()); // 0 1
 * ```
 */
export function createGenerator(seed: number): Generator {
  return new Generator(seed);
}

function cryptoSeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return ((words[0] as number) & 0x1fffff) * TWO_32 + (words[1] as number);
}

let defaultGenerator = new Generator(cryptoSeed());

/**
 * Reseeds the process-wide default generator, which ops use when given no seed.
 *
 * @param seed - an integer in [0, 2^53).
 * @example
 * ```ts
 * import { getDefaultGenerator, setSeed } from '@dropkit/ops';
 * setSeed(123);
 * console.log(getDefaultGenerator().state); // { seed: 123, nextStream: 0 }
 * ```
 */
export function setSeed(seed: number): void {
  defaultGenerator = new Generator(seed);
}

/**
 * The process-wide default generator (seeded from crypto randomness until `setSeed`).
 *
 * @returns the generator.
 * @example
 * ```ts
 * import { getDefaultGenerator } from '@dropkit/ops';
 * console.log(getDefaultGenerator().seed < 2 ** 53); // true
 * ```
 */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** What an op accepts as its `seed` option. */
export type SeedLike = number | Generator;

/**
 * Turns an op's `seed` option into the kernel's key words: a number is stream 0 of that seed (the
 * same mask every call, as Keras does with a seed); a generator hands out its next stream; no
 * seed takes the default generator's next stream.
 *
 * @param seed - the option.
 * @param name - the option's name for error messages.
 * @returns the four key words.
 * @example
 * ```ts
 * import { resolveSeed } from '@dropkit/ops';
 * console.log(resolveSeed(2 ** 32 + 5)); // { seedLo: 5, seedHi: 1, streamLo: 0, streamHi: 0 }
 * ```
 */
export function resolveSeed(seed: SeedLike | undefined, name = 'seed'): SeedAttrs {
  let s: number;
  let stream: number;
  if (seed instanceof Generator) {
    s = seed.seed;
    stream = seed.nextStream();
  } else if (seed === undefined) {
    s = defaultGenerator.seed;
    stream = defaultGenerator.nextStream();
  } else {
    s = assertSeed(name, seed);
    stream = 0;
  }
  return {
    seedLo: s % TWO_32,
    seedHi: Math.floor(s / TWO_32),
    streamLo: stream % TWO_32,
    streamHi: Math.floor(stream / TWO_32),
  };
}

/**
 * Keys for `count` independent draws of one call: a number seed gives its streams 0..count-1
 * (the same draws every call, as a numeric seed does for a single draw); a generator, or the
 * default one, hands out `count` new streams.
 *
 * @param seed - the option.
 * @param count - how many keys.
 * @param name - the option's name for error messages.
 * @returns one key per draw.
 * @example
 * ```ts
 * import { resolveSeeds } from '@dropkit/ops';
 * console.log(resolveSeeds(9, 2).map((k) => k.streamLo)); // [ 0, 1 ]
 * ```
 */
export function resolveSeeds(
  seed: SeedLike | undefined,
  count: number,
  name = 'seed',
): SeedAttrs[] {
  if (typeof seed !== 'number') return Array.from({ length: count }, () => resolveSeed(seed, name));
  const base = resolveSeed(seed, name);
  return Array.from({ length: count }, (_, k) => ({ ...base, streamLo: k }));
}
