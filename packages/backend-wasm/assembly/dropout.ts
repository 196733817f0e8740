import { dropVec } from './elementOps';
import { laneCount, loadLanes, storeLanes } from './lanes';
import { elementWords, forGroups, GROUP, setKey, Use, wordsOf } from './threefry';

/**
 * Dropout with the mask in x's shape: out[i] = x[i] * (u_i < threshold ? 0 : scale), the random
 * words generated inline, 36 per iteration. x and out point at element 4 first of the tensor
 * (block `first` of the uniform layout), and n elements from there are done: the whole tensor
 * with first = 0, or one chunk of it (first a multiple of 9 then keeps the groups aligned).
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
  first: u32,
): void {
  setKey(k0, k1, k2, k3);
  const thr = i32x4.splat(threshold);
  const sc = f32x4.splat(scale);
  const full = n / GROUP;
  forGroups(Use.Dropout, first, full, x, out, thr, sc);
  const rest = n - full * GROUP;
  if (rest === 0) return;
  // The last, partial group.
  wordsOf(first + full * 9);
  const off = <usize>(full * GROUP * 4);
  for (let j: u32 = 0; j < 9; j++) {
    const c = laneCount(rest, j);
    if (c === 0) return;
    const p = off + ((<usize>j) << 4);
    storeLanes(out + p, dropVec(loadLanes(x + p, c), elementWords(j), thr, sc), c);
  }
}

/**
 * The drop bits of `blocks` blocks from block `first`: one byte per block at bits + b - first,
 * bit w set where element 4 b + w is dropped. Whole groups of nine are written, so `bits` needs
 * room for `blocks` rounded up to a multiple of 9. A helper thread runs this on a memory of its
 * own; {@link applyDropBits} applies the bytes on tfjs's heap.
 */
export function dropBits(
  bits: usize,
  first: u32,
  blocks: u32,
  threshold: u32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
): void {
  setKey(k0, k1, k2, k3);
  const zero = i32x4(0, 0, 0, 0);
  forGroups(Use.Bits, first, (blocks + 8) / 9, 0, bits, i32x4.splat(threshold), zero);
}

/**
 * Dropout of n elements with the drop bits of {@link dropBits} (byte b for elements 4b..4b+3):
 * out[i] = x[i] * (dropped ? 0 : scale), the same multiply as {@link dropout}, so the two agree
 * bit for bit.
 */
export function applyDropBits(x: usize, out: usize, bits: usize, n: u32, scale: f32): void {
  const sc = f32x4.splat(scale);
  const sel = i32x4(1, 2, 4, 8);
  const quads = n >>> 4;
  for (let q: u32 = 0; q < quads; q++) {
    const m = load<u32>(bits + ((<usize>q) << 2));
    const p = (<usize>q) << 6;
    const d0 = i32x4.eq(v128.and(i32x4.splat(m), sel), sel);
    const d1 = i32x4.eq(v128.and(i32x4.splat(m >>> 8), sel), sel);
    const d2 = i32x4.eq(v128.and(i32x4.splat(m >>> 16), sel), sel);
    const d3 = i32x4.eq(v128.and(i32x4.splat(m >>> 24), sel), sel);
    v128.store(out + p, f32x4.mul(v128.load(x + p), v128.andnot(sc, d0)));
    v128.store(out + p, f32x4.mul(v128.load(x + p, 16), v128.andnot(sc, d1)), 16);
    v128.store(out + p, f32x4.mul(v128.load(x + p, 32), v128.andnot(sc, d2)), 32);
    v128.store(out + p, f32x4.mul(v128.load(x + p, 48), v128.andnot(sc, d3)), 48);
  }
  // The last 0..15 elements, a block at a time.
  for (let e: u32 = quads << 4; e < n; e += 4) {
    const c = min<u32>(n - e, 4);
    const d = i32x4.eq(v128.and(i32x4.splat(<u32>load<u8>(bits + (<usize>(e >>> 2)))), sel), sel);
    const p = (<usize>e) << 2;
    storeLanes(out + p, f32x4.mul(loadLanes(x + p, c), v128.andnot(sc, d)), c);
  }
}
