/**
 * Threefry4x32-20 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011), the counter-based generator every dropkit backend implements bit for bit.
 *
 * ## The layout (ARCHITECTURE.md section 3)
 *
 * - key `(k0, k1, k2, k3)` = `(seed mod 2^32, floor(seed / 2^32), stream mod 2^32,
 *   floor(stream / 2^32))`, with `seed` an integer in [0, 2^53) and `stream` the call's stream.
 * - uniform noise: element `i` of a noise tensor is word `i mod 4` of the block at counter
 *   `(floor(i / 4) mod 2^32, floor(i / 2^34), 0, 0)`; its 24-bit uniform is `word >>> 8`.
 *   An element is dropped iff `u < round(rate * 2^24)` (an integer compare, so no float rounding
 *   can differ between backends); a per-element keep probability `p` keeps iff
 *   `u < round(p * 2^24)`.
 * - normal noise (Gaussian dropout): element `i` uses the block at counter
 *   `(floor(i / 2) mod 2^32, floor(i / 2^33), 0, 0)`, words `2 * (i mod 2)` and
 *   `2 * (i mod 2) + 1` as `(a, b)`; `u1 = ((a >>> 8) + 1) / 2^24` in (0, 1],
 *   `u2 = (b >>> 8) / 2^24`, and `z = sqrt(-2 ln u1) * cos(2 pi u2)` (Box-Muller, cosine branch
 *   only, so every element is independent of its neighbours). Backends agree to 1e-6 relative.
 *
 * The 20 rounds are written out in full, no loop over a rotation table,
 * with a key injection after every fourth; the rotation constants are Random123's `R_32x4` table
 * and the key schedule uses Skein's parity constant 0x1BD11BDA. The known-answer tests in
 * test/rng.test.ts pin every constant.
 */

/** Skein's key-schedule parity constant. */
export const THREEFRY_PARITY = 0x1bd11bda;

/**
 * One Threefry4x32-20 block: writes the four output words for counter `(c0..c3)` and key
 * `(k0..k3)` into `out` at `offset`. All inputs are 32-bit words (any integer; taken mod 2^32).
 *
 * @param out - where the four words go (as unsigned 32-bit).
 * @param offset - index of the first word in `out`.
 * @example
 * ```ts
 * import { threefry4x32 } from '@dropkit/ops';
 * const out = new Uint32Array(4);
 * threefry4x32(out, 0, 0, 0, 0, 0, 0, 0, 0, 0);
 * console.log(Array.from(out, (w) => w.toString(16))); // [ '9c6ca96a', 'e17eae66', 'fc10ecd4', '5256a7d8' ]
 * ```
 */
export function threefry4x32(
  out: Uint32Array,
  offset: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): void {
  k0 |= 0;
  k1 |= 0;
  k2 |= 0;
  k3 |= 0;
  const k4 = k0 ^ k1 ^ k2 ^ k3 ^ THREEFRY_PARITY;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  let x2 = (c2 + k2) | 0;
  let x3 = (c3 + k3) | 0;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 10) | (x1 >>> 22);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 26) | (x3 >>> 6);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 11) | (x3 >>> 21);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 21) | (x1 >>> 11);
  x1 ^= x2;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 13) | (x1 >>> 19);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 27) | (x3 >>> 5);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 23) | (x3 >>> 9);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 5) | (x1 >>> 27);
  x1 ^= x2;
  x0 = (x0 + k1) | 0;
  x1 = (x1 + k2) | 0;
  x2 = (x2 + k3) | 0;
  x3 = (x3 + k4 + 1) | 0;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 6) | (x1 >>> 26);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 20) | (x3 >>> 12);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 17) | (x3 >>> 15);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 11) | (x1 >>> 21);
  x1 ^= x2;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 25) | (x1 >>> 7);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 10) | (x3 >>> 22);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 18) | (x3 >>> 14);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 20) | (x1 >>> 12);
  x1 ^= x2;
  x0 = (x0 + k2) | 0;
  x1 = (x1 + k3) | 0;
  x2 = (x2 + k4) | 0;
  x3 = (x3 + k0 + 2) | 0;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 10) | (x1 >>> 22);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 26) | (x3 >>> 6);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 11) | (x3 >>> 21);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 21) | (x1 >>> 11);
  x1 ^= x2;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 13) | (x1 >>> 19);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 27) | (x3 >>> 5);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 23) | (x3 >>> 9);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 5) | (x1 >>> 27);
  x1 ^= x2;
  x0 = (x0 + k3) | 0;
  x1 = (x1 + k4) | 0;
  x2 = (x2 + k0) | 0;
  x3 = (x3 + k1 + 3) | 0;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 6) | (x1 >>> 26);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 20) | (x3 >>> 12);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 17) | (x3 >>> 15);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 11) | (x1 >>> 21);
  x1 ^= x2;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 25) | (x1 >>> 7);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 10) | (x3 >>> 22);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 18) | (x3 >>> 14);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 20) | (x1 >>> 12);
  x1 ^= x2;
  x0 = (x0 + k4) | 0;
  x1 = (x1 + k0) | 0;
  x2 = (x2 + k1) | 0;
  x3 = (x3 + k2 + 4) | 0;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 10) | (x1 >>> 22);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 26) | (x3 >>> 6);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 11) | (x3 >>> 21);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 21) | (x1 >>> 11);
  x1 ^= x2;
  x0 = (x0 + x1) | 0;
  x1 = (x1 << 13) | (x1 >>> 19);
  x1 ^= x0;
  x2 = (x2 + x3) | 0;
  x3 = (x3 << 27) | (x3 >>> 5);
  x3 ^= x2;
  x0 = (x0 + x3) | 0;
  x3 = (x3 << 23) | (x3 >>> 9);
  x3 ^= x0;
  x2 = (x2 + x1) | 0;
  x1 = (x1 << 5) | (x1 >>> 27);
  x1 ^= x2;
  x0 = (x0 + k0) | 0;
  x1 = (x1 + k1) | 0;
  x2 = (x2 + k2) | 0;
  x3 = (x3 + k3 + 5) | 0;
  out[offset] = x0;
  out[offset + 1] = x1;
  out[offset + 2] = x2;
  out[offset + 3] = x3;
}
