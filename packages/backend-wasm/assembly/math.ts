// Vectorised float64 log, cos and exp for the Box-Muller noise of Gaussian dropout and the keep
// probabilities of standout. The reference kernels call JavaScript's Math.log / Math.cos /
// Math.exp in float64 and round to float32 afterwards; these agree with them to about one unit in
// the last place of a float64, so the float32 results agree bit for bit except where a value
// lands within ~1e-16 of a float32 rounding boundary. AssemblyScript's own Math.log uses lookup
// tables, static data this module must not have (it would be written into tfjs's memory), so the
// functions are written here: range reduction plus plain series, no tables.
//
// The constants live in module globals that initMath() fills at the start of each kernel using
// them: V8 builds a v128 constant with three instructions at every use in a loop, while a global
// is one load (globals that never changed after their initialiser would be folded back into
// constants by the optimizer, hence the runtime initialisation). This halved the kernels' time.

// ln 2 in two parts: LN2_HI has 32 significant bits, so k * LN2_HI is exact for |k| < 2^21.
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
// pi / 2 in three parts (33, 33 and 53 significant bits) for the reduction of cos's argument.
const PIO2_1: f64 = 1.5707963267341256;
const PIO2_2: f64 = 6.077100506303966e-11;
const PIO2_3: f64 = 2.0222662487959506e-21;

// Constants, filled by initMath (splatted float64 unless named otherwise).
export let ONE: v128 = i32x4(0, 0, 0, 0);
let TWO: v128 = i32x4(0, 0, 0, 0);
export let HALF: v128 = i32x4(0, 0, 0, 0);
let SQRT2: v128 = i32x4(0, 0, 0, 0);
let LN2_HI2: v128 = i32x4(0, 0, 0, 0);
let LN2_LO2: v128 = i32x4(0, 0, 0, 0);
let INV_LN2: v128 = i32x4(0, 0, 0, 0);
let MANTISSA: v128 = i32x4(0, 0, 0, 0);
let EXPONENT_ONE: v128 = i32x4(0, 0, 0, 0);
let BIAS: v128 = i32x4(0, 0, 0, 0);
let I64_ONE: v128 = i32x4(0, 0, 0, 0);
let I64_TWO: v128 = i32x4(0, 0, 0, 0);
let SIGN: v128 = i32x4(0, 0, 0, 0);
let TWO_OVER_PI: v128 = i32x4(0, 0, 0, 0);
let PIO2_1X: v128 = i32x4(0, 0, 0, 0);
let PIO2_2X: v128 = i32x4(0, 0, 0, 0);
let PIO2_3X: v128 = i32x4(0, 0, 0, 0);
let LOG_0: v128 = i32x4(0, 0, 0, 0);
let LOG_1: v128 = i32x4(0, 0, 0, 0);
let LOG_2: v128 = i32x4(0, 0, 0, 0);
let LOG_3: v128 = i32x4(0, 0, 0, 0);
let LOG_4: v128 = i32x4(0, 0, 0, 0);
let LOG_5: v128 = i32x4(0, 0, 0, 0);
let LOG_6: v128 = i32x4(0, 0, 0, 0);
let LOG_7: v128 = i32x4(0, 0, 0, 0);
let LOG_8: v128 = i32x4(0, 0, 0, 0);
let LOG_9: v128 = i32x4(0, 0, 0, 0);
let SIN_0: v128 = i32x4(0, 0, 0, 0);
let SIN_1: v128 = i32x4(0, 0, 0, 0);
let SIN_2: v128 = i32x4(0, 0, 0, 0);
let SIN_3: v128 = i32x4(0, 0, 0, 0);
let SIN_4: v128 = i32x4(0, 0, 0, 0);
let SIN_5: v128 = i32x4(0, 0, 0, 0);
let SIN_6: v128 = i32x4(0, 0, 0, 0);
let SIN_7: v128 = i32x4(0, 0, 0, 0);
let COS_0: v128 = i32x4(0, 0, 0, 0);
let COS_1: v128 = i32x4(0, 0, 0, 0);
let COS_2: v128 = i32x4(0, 0, 0, 0);
let COS_3: v128 = i32x4(0, 0, 0, 0);
let COS_4: v128 = i32x4(0, 0, 0, 0);
let COS_5: v128 = i32x4(0, 0, 0, 0);
let COS_6: v128 = i32x4(0, 0, 0, 0);
let COS_7: v128 = i32x4(0, 0, 0, 0);
let COS_8: v128 = i32x4(0, 0, 0, 0);
let EXP_0: v128 = i32x4(0, 0, 0, 0);
let EXP_1: v128 = i32x4(0, 0, 0, 0);
let EXP_2: v128 = i32x4(0, 0, 0, 0);
let EXP_3: v128 = i32x4(0, 0, 0, 0);
let EXP_4: v128 = i32x4(0, 0, 0, 0);
let EXP_5: v128 = i32x4(0, 0, 0, 0);
let EXP_6: v128 = i32x4(0, 0, 0, 0);
let EXP_7: v128 = i32x4(0, 0, 0, 0);
let EXP_8: v128 = i32x4(0, 0, 0, 0);
let EXP_9: v128 = i32x4(0, 0, 0, 0);
let EXP_10: v128 = i32x4(0, 0, 0, 0);
let EXP_11: v128 = i32x4(0, 0, 0, 0);
let EXP_12: v128 = i32x4(0, 0, 0, 0);
let EXP_13: v128 = i32x4(0, 0, 0, 0);

/** Fills the constants; every kernel using this file calls it first. */
export function initMath(): void {
  ONE = f64x2.splat(1.0);
  TWO = f64x2.splat(2.0);
  HALF = f64x2.splat(0.5);
  SQRT2 = f64x2.splat(Math.SQRT2);
  LN2_HI2 = f64x2.splat(LN2_HI);
  LN2_LO2 = f64x2.splat(LN2_LO);
  INV_LN2 = f64x2.splat(Math.LOG2E);
  MANTISSA = i64x2.splat(0x000fffffffffffff);
  EXPONENT_ONE = i64x2.splat(0x3ff0000000000000);
  BIAS = i64x2.splat(1023);
  I64_ONE = i64x2.splat(1);
  I64_TWO = i64x2.splat(2);
  SIGN = f64x2.splat(-0.0);
  TWO_OVER_PI = f64x2.splat(0.6366197723675814);
  PIO2_1X = f64x2.splat(PIO2_1);
  PIO2_2X = f64x2.splat(PIO2_2);
  PIO2_3X = f64x2.splat(PIO2_3);
  LOG_0 = f64x2.splat(2.0 / 21.0);
  LOG_1 = f64x2.splat(2.0 / 19.0);
  LOG_2 = f64x2.splat(2.0 / 17.0);
  LOG_3 = f64x2.splat(2.0 / 15.0);
  LOG_4 = f64x2.splat(2.0 / 13.0);
  LOG_5 = f64x2.splat(2.0 / 11.0);
  LOG_6 = f64x2.splat(2.0 / 9.0);
  LOG_7 = f64x2.splat(2.0 / 7.0);
  LOG_8 = f64x2.splat(2.0 / 5.0);
  LOG_9 = f64x2.splat(2.0 / 3.0);
  SIN_0 = f64x2.splat(1.0 / 355687428096000.0);
  SIN_1 = f64x2.splat(-1.0 / 1307674368000.0);
  SIN_2 = f64x2.splat(1.0 / 6227020800.0);
  SIN_3 = f64x2.splat(-1.0 / 39916800.0);
  SIN_4 = f64x2.splat(1.0 / 362880.0);
  SIN_5 = f64x2.splat(-1.0 / 5040.0);
  SIN_6 = f64x2.splat(1.0 / 120.0);
  SIN_7 = f64x2.splat(-1.0 / 6.0);
  COS_0 = f64x2.splat(-1.0 / 6402373705728000.0);
  COS_1 = f64x2.splat(1.0 / 20922789888000.0);
  COS_2 = f64x2.splat(-1.0 / 87178291200.0);
  COS_3 = f64x2.splat(1.0 / 479001600.0);
  COS_4 = f64x2.splat(-1.0 / 3628800.0);
  COS_5 = f64x2.splat(1.0 / 40320.0);
  COS_6 = f64x2.splat(-1.0 / 720.0);
  COS_7 = f64x2.splat(1.0 / 24.0);
  COS_8 = f64x2.splat(-0.5);
  EXP_0 = f64x2.splat(1.0 / 6227020800.0);
  EXP_1 = f64x2.splat(1.0 / 479001600.0);
  EXP_2 = f64x2.splat(1.0 / 39916800.0);
  EXP_3 = f64x2.splat(1.0 / 3628800.0);
  EXP_4 = f64x2.splat(1.0 / 362880.0);
  EXP_5 = f64x2.splat(1.0 / 40320.0);
  EXP_6 = f64x2.splat(1.0 / 5040.0);
  EXP_7 = f64x2.splat(1.0 / 720.0);
  EXP_8 = f64x2.splat(1.0 / 120.0);
  EXP_9 = f64x2.splat(1.0 / 24.0);
  EXP_10 = f64x2.splat(1.0 / 6.0);
  EXP_11 = f64x2.splat(0.5);
  EXP_12 = f64x2.splat(1.0);
  EXP_13 = f64x2.splat(1.0);
}

/** a * b + c, two roundings (no fused multiply-add, as in JavaScript). */
@inline
function mad(a: v128, b: v128, c: v128): v128 {
  return f64x2.add(f64x2.mul(a, b), c);
}

/**
 * The natural log of each lane, for positive normal inputs. x = 2^e m with m in
 * [sqrt(1/2), sqrt(2)); with f = m - 1 and s = f / (2 + f),
 * log(m) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = sum over k >= 1 of 2 s^(2k) / (2k + 1)
 * (|s| < 0.172, so ten terms leave a relative error below 1e-18).
 */
export function log2x(x: v128): v128 {
  let e = i64x2.sub(i64x2.shr_u(x, 52), BIAS);
  let m = v128.or(v128.and(x, MANTISSA), EXPONENT_ONE);
  const big = f64x2.gt(m, SQRT2);
  m = v128.bitselect(f64x2.mul(m, HALF), m, big);
  // A true lane of `big` is -1 as an integer.
  e = i64x2.sub(e, big);
  const ef = f64x2.convert_low_i32x4_s(i32x4.shuffle(e, e, 0, 2, 0, 2));
  const f = f64x2.sub(m, ONE);
  const s = f64x2.div(f, f64x2.add(TWO, f));
  const z = f64x2.mul(s, s);
  let r = LOG_0;
  r = mad(r, z, LOG_1);
  r = mad(r, z, LOG_2);
  r = mad(r, z, LOG_3);
  r = mad(r, z, LOG_4);
  r = mad(r, z, LOG_5);
  r = mad(r, z, LOG_6);
  r = mad(r, z, LOG_7);
  r = mad(r, z, LOG_8);
  r = mad(r, z, LOG_9);
  r = f64x2.mul(r, z);
  const hfsq = f64x2.mul(HALF, f64x2.mul(f, f));
  const tail = mad(s, f64x2.add(hfsq, r), f64x2.mul(ef, LN2_LO2));
  return f64x2.add(f64x2.mul(ef, LN2_HI2), f64x2.sub(f, f64x2.sub(hfsq, tail)));
}

/**
 * cos of each lane, for arguments in [0, 2 pi]: x = q pi/2 + y with |y| <= pi/4 (the three-part
 * pi/2 keeps y accurate near the zeros of cos), then cos y or sin y by Taylor series through
 * y^18 and y^17 (truncation below 1e-18), signed by the quadrant.
 */
export function cos2x(x: v128): v128 {
  const q = f64x2.nearest(f64x2.mul(x, TWO_OVER_PI));
  let y = f64x2.sub(x, f64x2.mul(q, PIO2_1X));
  y = f64x2.sub(y, f64x2.mul(q, PIO2_2X));
  y = f64x2.sub(y, f64x2.mul(q, PIO2_3X));
  const w = f64x2.mul(y, y);
  // sin y = y + y w (-1/3! + w (1/5! - ...)), through y^17.
  let sp = SIN_0;
  sp = mad(sp, w, SIN_1);
  sp = mad(sp, w, SIN_2);
  sp = mad(sp, w, SIN_3);
  sp = mad(sp, w, SIN_4);
  sp = mad(sp, w, SIN_5);
  sp = mad(sp, w, SIN_6);
  sp = mad(sp, w, SIN_7);
  const sin = mad(f64x2.mul(y, w), sp, y);
  // cos y = 1 + w (-1/2! + w (1/4! - ...)), through y^18.
  let cp = COS_0;
  cp = mad(cp, w, COS_1);
  cp = mad(cp, w, COS_2);
  cp = mad(cp, w, COS_3);
  cp = mad(cp, w, COS_4);
  cp = mad(cp, w, COS_5);
  cp = mad(cp, w, COS_6);
  cp = mad(cp, w, COS_7);
  cp = mad(cp, w, COS_8);
  const cos = mad(w, cp, ONE);
  // Quadrant q: cos y, -sin y, -cos y, sin y.
  const qi = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(q));
  const zero = i64x2.splat(0);
  const odd = i64x2.ne(v128.and(qi, I64_ONE), zero);
  const negative = i64x2.ne(v128.and(i64x2.add(qi, I64_ONE), I64_TWO), zero);
  const r = v128.bitselect(sin, cos, odd);
  return v128.xor(r, v128.and(negative, SIGN));
}

/**
 * exp of each lane, for arguments in [-60, 60]: x = k ln 2 + r with |r| <= ln 2 / 2, exp(r) by
 * Taylor series through r^13 (truncation below 1e-17), times 2^k built in the exponent bits.
 */
export function exp2x(x: v128): v128 {
  const k = f64x2.nearest(f64x2.mul(x, INV_LN2));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, LN2_HI2)), f64x2.mul(k, LN2_LO2));
  let p = EXP_0;
  p = mad(p, r, EXP_1);
  p = mad(p, r, EXP_2);
  p = mad(p, r, EXP_3);
  p = mad(p, r, EXP_4);
  p = mad(p, r, EXP_5);
  p = mad(p, r, EXP_6);
  p = mad(p, r, EXP_7);
  p = mad(p, r, EXP_8);
  p = mad(p, r, EXP_9);
  p = mad(p, r, EXP_10);
  p = mad(p, r, EXP_11);
  p = mad(p, r, EXP_12);
  p = mad(p, r, EXP_13);
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, BIAS), 52);
  return f64x2.mul(p, scale);
}
