import type { SeedAttrs } from '../kernel_names.js';
import { threefry4x32 } from './threefry.js';

const TWO_24 = 16777216;

/**
 * The integer threshold of a rate: an element is dropped iff its 24-bit uniform is below it.
 *
 * @param rate - a probability in [0, 1].
 * @returns round(rate * 2^24).
 * @example
 * ```ts
 * import { rateThreshold } from '@dropkit/ops';
 * console.log(rateThreshold(0.5)); // 8388608
 * ```
 */
export function rateThreshold(rate: number): number {
  return Math.round(rate * TWO_24);
}

/**
 * The 24-bit uniforms `word >>> 8` of the first `count` elements of a noise tensor, by the
 * layout of threefry.ts: element i is word i mod 4 of the block at counter (floor(i/4), ...).
 *
 * @param count - how many elements.
 * @param key - the (seed, stream) key words.
 * @returns one integer in [0, 2^24) per element.
 * @example
 * ```ts
 * import { resolveSeed, uniform24 } from '@dropkit/ops';
 * console.log(uniform24(2, resolveSeed(0))); // Uint32Array(2) [ 10251433, 14778030 ]
 * ```
 */
export function uniform24(count: number, key: SeedAttrs): Uint32Array {
  // Counts stay below 2^32 elements (typed arrays), so block indices are below 2^30 and the high
  // counter word, floor(b / 2^32), is always 0 here.
  const out = new Uint32Array(count);
  const block = new Uint32Array(4);
  const { seedLo, seedHi, streamLo, streamHi } = key;
  const full = count >>> 2;
  for (let b = 0; b < full; b++) {
    threefry4x32(block, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    const i = b << 2;
    out[i] = (block[0] as number) >>> 8;
    out[i + 1] = (block[1] as number) >>> 8;
    out[i + 2] = (block[2] as number) >>> 8;
    out[i + 3] = (block[3] as number) >>> 8;
  }
  if (count & 3) {
    const b = full;
    threefry4x32(block, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    for (let j = 0; j < (count & 3); j++) out[(b << 2) + j] = (block[j] as number) >>> 8;
  }
  return out;
}

/**
 * Standard normal noise for the first `count` elements of a noise tensor, by the layout of
 * threefry.ts: element i uses words 2(i mod 2), 2(i mod 2)+1 of the block at counter
 * (floor(i/2), ...), through the cosine branch of Box-Muller.
 *
 * @param count - how many elements.
 * @param key - the (seed, stream) key words.
 * @returns the noise as float32.
 * @example
 * ```ts
 * import { normalNoise, resolveSeed } from '@dropkit/ops';
 * const z = normalNoise(1000, resolveSeed(1));
 * console.log(Math.abs(z.reduce((a, b) => a + b, 0) / 1000) < 0.2); // true
 * ```
 */
export function normalNoise(count: number, key: SeedAttrs): Float32Array {
  const out = new Float32Array(count);
  const block = new Uint32Array(4);
  const { seedLo, seedHi, streamLo, streamHi } = key;
  for (let b = 0; b * 2 < count; b++) {
    threefry4x32(block, 0, b, 0, 0, 0, seedLo, seedHi, streamLo, streamHi);
    out[2 * b] = boxMuller(block[0] as number, block[1] as number);
    if (2 * b + 1 < count) out[2 * b + 1] = boxMuller(block[2] as number, block[3] as number);
  }
  return out;
}

/**
 * One standard normal value from two 32-bit words: u1 = ((a >>> 8) + 1) / 2^24 in (0, 1],
 * u2 = (b >>> 8) / 2^24, z = sqrt(-2 ln u1) cos(2 pi u2).
 */
export function boxMuller(a: number, b: number): number {
  const u1 = ((a >>> 8) + 1) / TWO_24;
  const u2 = (b >>> 8) / TWO_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
