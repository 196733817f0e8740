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
  setKey,
  transpose8,
  words32,
} from './threefry';

/**
 * The 24-bit uniforms `word >>> 8` of elements 0..count-1 of the uniform layout, as u32, written
 * in whole groups of 32: `out` must have room for count rounded up to a multiple of 32.
 */
export function uniform24(out: usize, count: u32, k0: u32, k1: u32, k2: u32, k3: u32): void {
  setKey(k0, k1, k2, k3);
  const groups = (count + 31) >>> 5;
  for (let g: u32 = 0; g < groups; g++) {
    words32(g);
    const p = out + ((<usize>g) << 7);
    v128.store(p, i32x4.shr_u(E0, 8));
    v128.store(p, i32x4.shr_u(E1, 8), 16);
    v128.store(p, i32x4.shr_u(E2, 8), 32);
    v128.store(p, i32x4.shr_u(E3, 8), 48);
    v128.store(p, i32x4.shr_u(E4, 8), 64);
    v128.store(p, i32x4.shr_u(E5, 8), 80);
    v128.store(p, i32x4.shr_u(E6, 8), 96);
    v128.store(p, i32x4.shr_u(E7, 8), 112);
  }
}

/**
 * Lanes all ones where u = word >>> 8 is below the threshold. Both are below 2^31, so the signed
 * compare is exact, and one instruction where an unsigned one takes three on x86.
 */
@inline
export function dropped(words: v128, thr: v128): v128 {
  return i32x4.gt_s(thr, i32x4.shr_u(words, 8));
}

/**
 * The drop mask of elements 0..count-1 of the uniform layout: lanes all ones where the element is
 * dropped (u < threshold), 0 where kept; whole groups of 32, as {@link uniform24}.
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
  const groups = (count + 31) >>> 5;
  for (let g: u32 = 0; g < groups; g++) {
    words32(g);
    const p = out + ((<usize>g) << 7);
    v128.store(p, dropped(E0, thr));
    v128.store(p, dropped(E1, thr), 16);
    v128.store(p, dropped(E2, thr), 32);
    v128.store(p, dropped(E3, thr), 48);
    v128.store(p, dropped(E4, thr), 64);
    v128.store(p, dropped(E5, thr), 80);
    v128.store(p, dropped(E6, thr), 96);
    v128.store(p, dropped(E7, thr), 112);
  }
}

/**
 * Raw Threefry4x32-20 words for the known-answer tests of the vectorised rounds: block j (of 8)
 * at counter (c0 + j, c1, c2, c3) under the given key, its four words stored at out + 16 j.
 */
export function threefryWords(
  out: usize,
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
  // Counters (c, 0, 0, 0) take the kernels' path, any other counter the plain one.
  if ((c1 | c2 | c3) === 0) {
    blocks8(c0, false);
  } else {
    blocks8Counter(
      i32x4.add(i32x4.splat(c0), i32x4(0, 1, 2, 3)),
      i32x4.splat(c1),
      i32x4.splat(c2),
      i32x4.splat(c3),
    );
  }
  transpose8();
  v128.store(out, E0);
  v128.store(out, E1, 16);
  v128.store(out, E2, 32);
  v128.store(out, E3, 48);
  v128.store(out, E4, 64);
  v128.store(out, E5, 80);
  v128.store(out, E6, 96);
  v128.store(out, E7, 112);
}
