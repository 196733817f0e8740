import { dropped } from './elementOps';
import {
  blocks8,
  blocks8Counter,
  E0,
  E1,
  E2,
  E3,
  E4,
  E5,
  E6,
  E7,
  E8,
  elementWords,
  forGroups,
  GROUP,
  setKey,
  transpose8,
  Use,
  wordsOf,
} from './threefry';

/**
 * The 24-bit uniforms `word >>> 8` of elements 0..count-1 of the uniform layout, as u32, and of
 * the elements after them up to the next multiple of 32: `out` must have room for count rounded
 * up to a multiple of 32.
 */
export function uniform24(out: usize, count: u32, k0: u32, k1: u32, k2: u32, k3: u32): void {
  setKey(k0, k1, k2, k3);
  const padded = (count + 31) & ~31;
  const full = padded / GROUP;
  const zero = i32x4(0, 0, 0, 0);
  forGroups(Use.Uniform, 0, full, 0, out, zero, zero);
  // What is left of the padded count is a multiple of 4: whole vectors.
  const vectors = (padded - full * GROUP) >>> 2;
  if (vectors === 0) return;
  wordsOf(full * 9);
  const p = out + <usize>(full * GROUP * 4);
  for (let j: u32 = 0; j < vectors; j++) {
    v128.store(p + ((<usize>j) << 4), i32x4.shr_u(elementWords(j), 8));
  }
}

/**
 * The drop mask of elements 0..count-1 of the uniform layout: lanes all ones where the element is
 * dropped (u < threshold), 0 where kept; up to the next multiple of 32, as {@link uniform24}.
 */
export function dropMask(
  out: usize,
  count: u32,
  threshold: u32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
): void {
  setKey(k0, k1, k2, k3);
  const thr = i32x4.splat(threshold);
  const padded = (count + 31) & ~31;
  const full = padded / GROUP;
  forGroups(Use.Mask, 0, full, 0, out, thr, thr);
  const vectors = (padded - full * GROUP) >>> 2;
  if (vectors === 0) return;
  wordsOf(full * 9);
  const p = out + <usize>(full * GROUP * 4);
  for (let j: u32 = 0; j < vectors; j++) {
    v128.store(p + ((<usize>j) << 4), dropped(elementWords(j), thr));
  }
}

/**
 * Raw Threefry4x32-20 words for the known-answer tests of the three forms in threefry.ts, block j
 * at out + 16 j under the given key: `form` 9 is the grouped form, nine blocks at counters
 * (c0 + j, 0, 0, 0); 8 the eight-block form, eight blocks at (c0 + j, 0, 0, 0); any other value
 * blocks8Counter, eight blocks at (c0 + j, c1, c2, c3). The first two ignore c1..c3.
 */
export function threefryWords(
  out: usize,
  form: u32,
  c0: u32,
  c1: u32,
  c2: u32,
  c3: u32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
): void {
  setKey(k0, k1, k2, k3);
  if (form === 9) {
    wordsOf(c0);
    v128.store(out, E8, 128);
  } else if (form === 8) {
    blocks8(c0, true);
  } else {
    blocks8Counter(
      i32x4.add(i32x4.splat(c0), i32x4(0, 1, 2, 3)),
      i32x4.splat(c1),
      i32x4.splat(c2),
      i32x4.splat(c3),
    );
    transpose8();
  }
  v128.store(out, E0);
  v128.store(out, E1, 16);
  v128.store(out, E2, 32);
  v128.store(out, E3, 48);
  v128.store(out, E4, 64);
  v128.store(out, E5, 80);
  v128.store(out, E6, 96);
  v128.store(out, E7, 112);
}
