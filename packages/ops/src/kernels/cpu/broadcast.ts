/**
 * Walks x's elements row by row (a row is the last dimension) with the matching offset into a
 * mask of shape `mShape` that broadcasts against `xShape` (same rank, each mask dimension 1 or
 * x's size): `visit(xOffset, maskOffset, length, maskStride)` covers x[xOffset + k] with mask
 * element maskOffset + k * maskStride, for k < length. One callback per row keeps the per-element
 * loop in the caller, where it stays tight.
 */
export function forEachBroadcastRow(
  xShape: readonly number[],
  mShape: readonly number[],
  visit: (xOffset: number, maskOffset: number, length: number, maskStride: number) => void,
): void {
  const rank = xShape.length;
  if (rank === 0) {
    visit(0, 0, 1, 0);
    return;
  }
  // Mask strides, 0 along broadcast dimensions; an odometer walks x's outer coordinates.
  const mStride = new Array<number>(rank).fill(0);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    mStride[d] = (mShape[d] as number) === 1 ? 0 : acc;
    acc *= mShape[d] as number;
  }
  const inner = xShape[rank - 1] as number;
  const innerStride = mStride[rank - 1] as number;
  const total = xShape.reduce((p, d) => p * d, 1);
  const outer = inner === 0 ? 0 : total / inner;
  const coord = new Array<number>(rank).fill(0);
  let base = 0;
  for (let o = 0; o < outer; o++) {
    visit(o * inner, base, inner, innerStride);
    for (let d = rank - 2; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      base += mStride[d] as number;
      if ((coord[d] as number) < (xShape[d] as number)) break;
      base -= (mStride[d] as number) * (xShape[d] as number);
      coord[d] = 0;
    }
  }
}
