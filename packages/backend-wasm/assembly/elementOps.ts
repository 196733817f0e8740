// What the kernels do with four elements and their random words, shared by the group loop of
// threefry.ts, the kernels' tails and the broadcast walks.

/**
 * Lanes all ones where u = word >>> 8 is below the threshold. Both are below 2^31, so the signed
 * compare is exact, and one instruction where an unsigned one takes three on x86.
 */
@inline
export function dropped(words: v128, thr: v128): v128 {
  return i32x4.gt_s(thr, i32x4.shr_u(words, 8));
}

/**
 * Four elements of dropout: dropped iff u = word >>> 8 is below the threshold (an integer
 * compare, as on every backend), then one float32 multiply by 0 or scale, so the output
 * is the reference's bit for bit, NaN and -0 included.
 */
@inline
export function dropVec(x: v128, words: v128, thr: v128, scale: v128): v128 {
  return f32x4.mul(x, v128.andnot(scale, dropped(words, thr)));
}

/**
 * Four elements of alpha dropout given their drop mask (lanes all ones where dropped): t = x
 * where kept and x * 0 + alphaP where dropped (so a NaN or infinite x gives NaN, as in the
 * reference), then fround(fround(a * t) + b). The reference adds in float64 and rounds to
 * float32; for a sum of two float32 values that double rounding equals the single float32
 * rounding done here (53 >= 2 * 24 + 2), so the values agree bit for bit.
 */
@inline
export function alphaVec(x: v128, dropped: v128, a: v128, b: v128, alphaP: v128): v128 {
  const t = v128.bitselect(f32x4.add(f32x4.mul(x, f32x4.splat(0)), alphaP), x, dropped);
  return f32x4.add(f32x4.mul(a, t), b);
}
