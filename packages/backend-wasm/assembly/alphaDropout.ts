import { alphaVec, dropped } from './elementOps';
import { laneCount, loadLanes, storeLanes } from './lanes';
import { E0, E1, E2, E3, E4, E5, E6, E7, setKey, words32 } from './threefry';

// Alpha dropout keeps the eight-block SIMD form of threefry.ts: its element operation keeps four
// more vectors live than dropout's, and with the scalar block's work beside it the grouped form
// was 2% faster on an idle core but 12 - 18% slower when the core was shared (see threefry.ts).

@inline
function alphaWords(x: v128, words: v128, thr: v128, a: v128, b: v128, alphaP: v128): v128 {
  return alphaVec(x, dropped(words, thr), a, b, alphaP);
}

/** The last, partial group of 32 elements, `rest` (< 32) of them, its words in E0..E7. */
function alphaTail(xp: usize, op: usize, rest: u32, thr: v128, a: v128, b: v128, p: v128): void {
  let c = laneCount(rest, 0);
  storeLanes(op, alphaWords(loadLanes(xp, c), E0, thr, a, b, p), c);
  c = laneCount(rest, 1);
  storeLanes(op + 16, alphaWords(loadLanes(xp + 16, c), E1, thr, a, b, p), c);
  c = laneCount(rest, 2);
  storeLanes(op + 32, alphaWords(loadLanes(xp + 32, c), E2, thr, a, b, p), c);
  c = laneCount(rest, 3);
  storeLanes(op + 48, alphaWords(loadLanes(xp + 48, c), E3, thr, a, b, p), c);
  c = laneCount(rest, 4);
  storeLanes(op + 64, alphaWords(loadLanes(xp + 64, c), E4, thr, a, b, p), c);
  c = laneCount(rest, 5);
  storeLanes(op + 80, alphaWords(loadLanes(xp + 80, c), E5, thr, a, b, p), c);
  c = laneCount(rest, 6);
  storeLanes(op + 96, alphaWords(loadLanes(xp + 96, c), E6, thr, a, b, p), c);
  c = laneCount(rest, 7);
  storeLanes(op + 112, alphaWords(loadLanes(xp + 112, c), E7, thr, a, b, p), c);
}

/**
 * Alpha dropout with the mask in x's shape, the random words generated inline. x and out point
 * at element 32 first of the tensor, and n elements from there are done: the whole tensor with
 * first = 0, or one chunk of it.
 */
export function alphaDropout(
  x: usize,
  out: usize,
  n: u32,
  threshold: u32,
  a: f32,
  b: f32,
  alphaP: f32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
  first: u32,
): void {
  setKey(k0, k1, k2, k3);
  const thr = i32x4.splat(threshold);
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  const pv = f32x4.splat(alphaP);
  const groups = (n + 31) >>> 5;
  for (let g: u32 = 0; g < groups; g++) {
    words32(first + g);
    const off = (<usize>g) << 7;
    const xp = x + off;
    const op = out + off;
    const rest = n - (g << 5);
    if (rest < 32) {
      alphaTail(xp, op, rest, thr, av, bv, pv);
      return;
    }
    v128.store(op, alphaWords(v128.load(xp), E0, thr, av, bv, pv));
    v128.store(op, alphaWords(v128.load(xp, 16), E1, thr, av, bv, pv), 16);
    v128.store(op, alphaWords(v128.load(xp, 32), E2, thr, av, bv, pv), 32);
    v128.store(op, alphaWords(v128.load(xp, 48), E3, thr, av, bv, pv), 48);
    v128.store(op, alphaWords(v128.load(xp, 64), E4, thr, av, bv, pv), 64);
    v128.store(op, alphaWords(v128.load(xp, 80), E5, thr, av, bv, pv), 80);
    v128.store(op, alphaWords(v128.load(xp, 96), E6, thr, av, bv, pv), 96);
    v128.store(op, alphaWords(v128.load(xp, 112), E7, thr, av, bv, pv), 112);
  }
}

/**
 * Alpha dropout of n elements with the drop bits of `dropBits` (byte b for elements
 * 4b..4b+3): the same element operation as {@link alphaDropout}, so the two agree bit for bit.
 */
export function applyAlphaBits(
  x: usize,
  out: usize,
  bits: usize,
  n: u32,
  a: f32,
  b: f32,
  alphaP: f32,
): void {
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  const pv = f32x4.splat(alphaP);
  const sel = i32x4(1, 2, 4, 8);
  for (let e: u32 = 0; e < n; e += 4) {
    const c = min<u32>(n - e, 4);
    const d = i32x4.eq(v128.and(i32x4.splat(<u32>load<u8>(bits + (<usize>(e >>> 2)))), sel), sel);
    const p = (<usize>e) << 2;
    if (c === 4) v128.store(out + p, alphaVec(v128.load(x + p), d, av, bv, pv));
    else storeLanes(out + p, alphaVec(loadLanes(x + p, c), d, av, bv, pv), c);
  }
}
