import { alphaVec } from './elementOps';
import { loadLanes, storeLanes } from './lanes';

// A mask of shape noiseShape broadcast against x is walked row by row (a row is x's last
// dimension, after the caller has merged neighbouring dimensions that broadcast alike). `desc`
// holds 3 * rank u32 words: x's dimensions, the mask's strides in elements (0 where the mask
// broadcasts), and rank zeroed words the walk uses as its odometer. The mask holds one i32 per
// element, all ones where dropped (see `dropMask`), in scratch memory padded to 32 elements, so
// whole-vector mask loads never leave it.

const DROPOUT: u32 = 0;
const ALPHA: u32 = 1;

function rowOp(kind: u32, x: v128, dropped: v128, p0: v128, p1: v128, p2: v128): v128 {
  if (kind === DROPOUT) return f32x4.mul(x, v128.andnot(p0, dropped));
  return alphaVec(x, dropped, p0, p1, p2);
}

function row(
  kind: u32,
  x: usize,
  out: usize,
  mask: usize,
  len: u32,
  stride: u32,
  p0: v128,
  p1: v128,
  p2: v128,
): void {
  const full = len & ~3;
  if (stride === 0) {
    const dropped = v128.load32_splat(mask);
    for (let i: u32 = 0; i < full; i += 4) {
      const off = (<usize>i) << 2;
      v128.store(out + off, rowOp(kind, v128.load(x + off), dropped, p0, p1, p2));
    }
    const off = (<usize>full) << 2;
    const c = len - full;
    storeLanes(out + off, rowOp(kind, loadLanes(x + off, c), dropped, p0, p1, p2), c);
  } else {
    for (let i: u32 = 0; i < full; i += 4) {
      const off = (<usize>i) << 2;
      const dropped = v128.load(mask + off);
      v128.store(out + off, rowOp(kind, v128.load(x + off), dropped, p0, p1, p2));
    }
    const off = (<usize>full) << 2;
    const c = len - full;
    const dropped = v128.load(mask + off);
    storeLanes(out + off, rowOp(kind, loadLanes(x + off, c), dropped, p0, p1, p2), c);
  }
}

function walk(
  kind: u32,
  x: usize,
  out: usize,
  mask: usize,
  desc: usize,
  rank: u32,
  p0: v128,
  p1: v128,
  p2: v128,
): void {
  const dims = desc;
  const strides = desc + ((<usize>rank) << 2);
  const coord = desc + ((<usize>rank) << 3);
  const last = (<usize>(rank - 1)) << 2;
  const inner = load<u32>(dims + last);
  const innerStride = load<u32>(strides + last);
  let rows: u32 = 1;
  for (let d: u32 = 0; d + 1 < rank; d++) rows *= load<u32>(dims + ((<usize>d) << 2));
  let base: u32 = 0;
  for (let r: u32 = 0; r < rows; r++) {
    const off = (<usize>r * <usize>inner) << 2;
    row(kind, x + off, out + off, mask + ((<usize>base) << 2), inner, innerStride, p0, p1, p2);
    for (let d = <i32>rank - 2; d >= 0; d--) {
      const at = (<usize>d) << 2;
      const stride = load<u32>(strides + at);
      const size = load<u32>(dims + at);
      const next = load<u32>(coord + at) + 1;
      base += stride;
      if (next < size) {
        store<u32>(coord + at, next);
        break;
      }
      base -= stride * size;
      store<u32>(coord + at, 0);
    }
  }
}

/** Dropout with a broadcast mask: out = x * (dropped ? 0 : scale), the mask from `dropMask`. */
export function dropoutBroadcast(
  x: usize,
  out: usize,
  mask: usize,
  desc: usize,
  rank: u32,
  scale: f32,
): void {
  const zero = i32x4(0, 0, 0, 0);
  walk(DROPOUT, x, out, mask, desc, rank, f32x4.splat(scale), zero, zero);
}

/** Alpha dropout with a broadcast mask from `dropMask`. */
export function alphaDropoutBroadcast(
  x: usize,
  out: usize,
  mask: usize,
  desc: usize,
  rank: u32,
  a: f32,
  b: f32,
  alphaP: f32,
): void {
  walk(ALPHA, x, out, mask, desc, rank, f32x4.splat(a), f32x4.splat(b), f32x4.splat(alphaP));
}
