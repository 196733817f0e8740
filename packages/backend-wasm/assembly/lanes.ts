// Loads and stores of the first `count` lanes of a vector, for the ends of tensors whose length
// is not a multiple of 4: a kernel may neither read past its input (the memory may end there)
// nor write past its output (another tensor may start there).

/** The first `count` (0..4) 32-bit lanes at p; the other lanes are 0. */
export function loadLanes(p: usize, count: u32): v128 {
  if (count >= 4) return v128.load(p);
  let v = i32x4(0, 0, 0, 0);
  if (count > 0) v = v128.load32_lane(p, v, 0);
  if (count > 1) v = v128.load32_lane(p, v, 1, 4);
  if (count > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** Stores the first `count` (0..4) 32-bit lanes of v at p. */
export function storeLanes(p: usize, v: v128, count: u32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  if (count > 0) v128.store32_lane(p, v, 0);
  if (count > 1) v128.store32_lane(p, v, 1, 4);
  if (count > 2) v128.store32_lane(p, v, 2, 8);
}

/** How many of the 4 lanes of vector `j` of a group hold elements when `rest` are left. */
export function laneCount(rest: u32, j: u32): u32 {
  const first = j << 2;
  if (rest <= first) return 0;
  const left = rest - first;
  return min<u32>(left, 4);
}
