// DropBlock and ProbDropBlock. The seeds' uniforms come from `uniform24` (vectorised Threefry);
// the salience sums, the block expansion and the kept count are scalar, written in the
// reference's order of float64 operations so that thresholds and masks agree bit for bit; the
// final multiply is vectorised. `dropped` is one byte per mask element in x's layout with cm
// channels ((n, y, x, k) for NHWC, (n, k, y, x) for NCHW), padded with zeros to a multiple of 16.

const TWO_24: f64 = 16777216.0;

/** JavaScript's Math.round for x >= 0: halves round up. */
function roundHalfUp(x: f64): f64 {
  const up = ceil<f64>(x);
  return up - 0.5 > x ? up - 1.0 : up;
}

/**
 * ProbDropBlock's seed thresholds, round(min(1, gamma * S(n, i, j) / mean_n S) * 2^24) for the
 * N x Hs x Ws seed grid (u32 at thr), S the block means of the channel-mean absolute guide, by a
 * summed-area table; a sample whose mean S is 0 or not finite gets `plain` (DropBlock's
 * threshold) everywhere. Scratch: `sat` (H + 1) x (W + 1) f64, `sv` Hs x Ws f64.
 */
export function probThresholds(
  guide: usize,
  thr: usize,
  sat: usize,
  sv: usize,
  n: u32,
  h: u32,
  w: u32,
  c: u32,
  bs: u32,
  nhwc: bool,
  gamma: f64,
  plain: u32,
): void {
  const hs = h - bs + 1;
  const ws = w - bs + 1;
  const w1 = <usize>(w + 1);
  const cells = <f64>(bs * bs);
  for (let s: u32 = 0; s < n; s++) {
    memory.fill(sat, 0, ((<usize>h + 1) * w1) << 3);
    for (let y: u32 = 0; y < h; y++) {
      let row: f64 = 0;
      for (let x: u32 = 0; x < w; x++) {
        let acc: f64 = 0;
        for (let k: u32 = 0; k < c; k++) {
          const idx = nhwc ? ((s * h + y) * w + x) * c + k : ((s * c + k) * h + y) * w + x;
          acc += abs<f64>(<f64>load<f32>(guide + ((<usize>idx) << 2)));
        }
        row += acc / <f64>c;
        const above = load<f64>(sat + ((<usize>y * w1 + x + 1) << 3));
        store<f64>(sat + (((<usize>y + 1) * w1 + x + 1) << 3), above + row);
      }
    }
    let total: f64 = 0;
    for (let i: u32 = 0; i < hs; i++) {
      for (let j: u32 = 0; j < ws; j++) {
        const a = load<f64>(sat + (((<usize>i + bs) * w1 + j + bs) << 3));
        const b = load<f64>(sat + ((<usize>i * w1 + j + bs) << 3));
        const d = load<f64>(sat + (((<usize>i + bs) * w1 + j) << 3));
        const e = load<f64>(sat + ((<usize>i * w1 + j) << 3));
        const v = (a - b - d + e) / cells;
        store<f64>(sv + ((<usize>(i * ws + j)) << 3), v);
        total += v;
      }
    }
    const mean = total / <f64>(hs * ws);
    const uniform = !(mean - mean === 0 && mean > 0);
    const base = <usize>(s * hs * ws);
    for (let k: u32 = 0; k < hs * ws; k++) {
      let t = plain;
      if (!uniform) {
        const factor = load<f64>(sv + ((<usize>k) << 3)) / mean;
        t = <u32>roundHalfUp(min<f64>(1, gamma * factor) * TWO_24);
      }
      store<u32>(thr + ((base + k) << 2), t);
    }
  }
}

/**
 * Marks the dropped blocks: seed (n, k, i, j) is element ((n * cm + k) * Hs + i) * Ws + j of the
 * uniforms at u and fires iff its uniform is below its threshold (thr[(n * Hs + i) * Ws + j] when
 * thr is not 0, else `plain`), zeroing rows i..i+bs-1 and columns j..j+bs-1 of its channel.
 * Returns how many of the n * cm * h * w mask elements stay kept.
 */
export function dropBlockMask(
  u: usize,
  thr: usize,
  dropped: usize,
  paddedBytes: u32,
  n: u32,
  cm: u32,
  h: u32,
  w: u32,
  bs: u32,
  nhwc: bool,
  plain: u32,
): u32 {
  memory.fill(dropped, 0, paddedBytes);
  const hs = h - bs + 1;
  const ws = w - bs + 1;
  for (let s: u32 = 0; s < n; s++) {
    for (let k: u32 = 0; k < cm; k++) {
      for (let i: u32 = 0; i < hs; i++) {
        for (let j: u32 = 0; j < ws; j++) {
          const e = ((s * cm + k) * hs + i) * ws + j;
          const t = thr !== 0 ? load<u32>(thr + ((<usize>((s * hs + i) * ws + j)) << 2)) : plain;
          if (load<u32>(u + ((<usize>e) << 2)) >= t) continue;
          for (let y = i; y < i + bs; y++) {
            if (!nhwc) {
              memory.fill(dropped + <usize>(((s * cm + k) * h + y) * w + j), 1, bs);
            } else if (cm === 1) {
              memory.fill(dropped + <usize>((s * h + y) * w + j), 1, bs);
            } else {
              for (let x = j; x < j + bs; x++) {
                store<u8>(dropped + <usize>(((s * h + y) * w + x) * cm + k), 1);
              }
            }
          }
        }
      }
    }
  }
  // Byte sums 16 at a time; the padding is zero.
  let acc = i32x4(0, 0, 0, 0);
  for (let p: u32 = 0; p < paddedBytes; p += 16) {
    const bytes = v128.load(dropped + <usize>p);
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(bytes)));
  }
  const count =
    i32x4.extract_lane(acc, 0) +
    i32x4.extract_lane(acc, 1) +
    i32x4.extract_lane(acc, 2) +
    i32x4.extract_lane(acc, 3);
  return n * cm * h * w - <u32>count;
}

/** out = x * (dropped ? 0 : scale) over `len` elements whose mask bytes are contiguous at m. */
function applyContiguous(x: usize, out: usize, m: usize, len: u32, scale: v128): void {
  const full = len & ~3;
  for (let i: u32 = 0; i < full; i += 4) {
    const flags = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(m + i)));
    const off = (<usize>i) << 2;
    const mult = v128.andnot(scale, i32x4.ne(flags, i32x4(0, 0, 0, 0)));
    v128.store(out + off, f32x4.mul(v128.load(x + off), mult));
  }
  const s = f32x4.extract_lane(scale, 0);
  for (let i = full; i < len; i++) {
    const off = (<usize>i) << 2;
    store<f32>(out + off, load<f32>(x + off) * (load<u8>(m + i) !== 0 ? 0 : s));
  }
}

/**
 * out = x * multiplier with the multiplier 0 inside dropped blocks and `scale` elsewhere,
 * broadcast over the c channels when the mask is shared (cm = 1 < c).
 */
export function applyBlockMask(
  x: usize,
  out: usize,
  dropped: usize,
  n: u32,
  h: u32,
  w: u32,
  c: u32,
  cm: u32,
  nhwc: bool,
  scale: f32,
): void {
  const sv = f32x4.splat(scale);
  if (cm === c) {
    applyContiguous(x, out, dropped, n * h * w * c, sv);
    return;
  }
  const hw = h * w;
  if (!nhwc) {
    for (let s: u32 = 0; s < n; s++) {
      for (let k: u32 = 0; k < c; k++) {
        const off = (<usize>((s * c + k) * hw)) << 2;
        applyContiguous(x + off, out + off, dropped + <usize>(s * hw), hw, sv);
      }
    }
    return;
  }
  const full = c & ~3;
  for (let p: u32 = 0; p < n * hw; p++) {
    const m: f32 = load<u8>(dropped + <usize>p) !== 0 ? 0 : scale;
    const mv = f32x4.splat(m);
    const base = (<usize>(p * c)) << 2;
    for (let k: u32 = 0; k < full; k += 4) {
      const off = base + ((<usize>k) << 2);
      v128.store(out + off, f32x4.mul(v128.load(x + off), mv));
    }
    for (let k = full; k < c; k++) {
      const off = base + ((<usize>k) << 2);
      store<f32>(out + off, load<f32>(x + off) * m);
    }
  }
}
