import { dropVec } from './elementOps';
import { laneCount, loadLanes, storeLanes } from './lanes';
import { elementWords, forGroups, GROUP, setKey, Use, wordsOf } from './threefry';

/**
 * Dropout with the mask in x's shape: out[i] = x[i] * (u_i < threshold ? 0 : scale), the random
 * words generated inline, 36 per iteration.
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
  const full = n / GROUP;
  forGroups(Use.Dropout, 0, full, x, out, thr, sc);
  const rest = n - full * GROUP;
  if (rest === 0) return;
  // The last, partial group.
  wordsOf(full * 9);
  const off = <usize>(full * GROUP * 4);
  for (let j: u32 = 0; j < 9; j++) {
    const c = laneCount(rest, j);
    if (c === 0) return;
    const p = off + ((<usize>j) << 4);
    storeLanes(out + p, dropVec(loadLanes(x + p, c), elementWords(j), thr, sc), c);
  }
}
