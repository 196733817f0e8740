import { laneCount, loadLanes, storeLanes } from './lanes';
import { E0, E1, E2, E3, E4, E5, E6, E7, setKey, words32 } from './threefry';
import { dropped } from './uniform';

/**
 * Four elements of dropout: dropped iff u = word >>> 8 is below the threshold (an integer
 * compare, as on every backend), then one float32 multiply by 0 or scale, so the output
 * is the reference's bit for bit, NaN and -0 included.
 */
@inline
function dropVec(x: v128, words: v128, thr: v128, scale: v128): v128 {
  return f32x4.mul(x, v128.andnot(scale, dropped(words, thr)));
}

/** The last, partial group of 32 elements, `rest` (< 32) of them, its words in E0..E7. */
function dropTail(xp: usize, op: usize, rest: u32, thr: v128, sc: v128): void {
  let c = laneCount(rest, 0);
  storeLanes(op, dropVec(loadLanes(xp, c), E0, thr, sc), c);
  c = laneCount(rest, 1);
  storeLanes(op + 16, dropVec(loadLanes(xp + 16, c), E1, thr, sc), c);
  c = laneCount(rest, 2);
  storeLanes(op + 32, dropVec(loadLanes(xp + 32, c), E2, thr, sc), c);
  c = laneCount(rest, 3);
  storeLanes(op + 48, dropVec(loadLanes(xp + 48, c), E3, thr, sc), c);
  c = laneCount(rest, 4);
  storeLanes(op + 64, dropVec(loadLanes(xp + 64, c), E4, thr, sc), c);
  c = laneCount(rest, 5);
  storeLanes(op + 80, dropVec(loadLanes(xp + 80, c), E5, thr, sc), c);
  c = laneCount(rest, 6);
  storeLanes(op + 96, dropVec(loadLanes(xp + 96, c), E6, thr, sc), c);
  c = laneCount(rest, 7);
  storeLanes(op + 112, dropVec(loadLanes(xp + 112, c), E7, thr, sc), c);
}

/**
 * Dropout with the mask in x's shape: out[i] = x[i] * (u_i < threshold ? 0 : scale), the random
 * words generated inline, 32 per iteration.
 */
export function dropout(
  x: usize,
  out: usize,
  n: u32,
  threshold: u32,
  scale: f32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
): void {
  setKey(k0, k1, k2, k3);
  const thr = i32x4.splat(threshold);
  const sc = f32x4.splat(scale);
  const groups = (n + 31) >>> 5;
  for (let g: u32 = 0; g < groups; g++) {
    words32(g);
    const off = (<usize>g) << 7;
    const xp = x + off;
    const op = out + off;
    const rest = n - (g << 5);
    if (rest < 32) {
      dropTail(xp, op, rest, thr, sc);
      return;
    }
    v128.store(op, dropVec(v128.load(xp), E0, thr, sc));
    v128.store(op, dropVec(v128.load(xp, 16), E1, thr, sc), 16);
    v128.store(op, dropVec(v128.load(xp, 32), E2, thr, sc), 32);
    v128.store(op, dropVec(v128.load(xp, 48), E3, thr, sc), 48);
    v128.store(op, dropVec(v128.load(xp, 64), E4, thr, sc), 64);
    v128.store(op, dropVec(v128.load(xp, 80), E5, thr, sc), 80);
    v128.store(op, dropVec(v128.load(xp, 96), E6, thr, sc), 96);
    v128.store(op, dropVec(v128.load(xp, 112), E7, thr, sc), 112);
  }
}
