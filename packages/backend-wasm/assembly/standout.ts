import { laneCount, loadLanes, storeLanes } from './lanes';
import { exp2x, HALF, initMath, ONE } from './math';
import { E0, E1, E2, E3, E4, E5, E6, E7, E8, GROUP, setKey, wordsOf } from './threefry';

const TWO_24: f64 = 16777216.0;

// Constants as globals, set by initStandout (see math.ts for why).
let SIXTY: v128 = i32x4(0, 0, 0, 0);
let MINUS_SIXTY: v128 = i32x4(0, 0, 0, 0);
let TWO_24X: v128 = i32x4(0, 0, 0, 0);
let F32_ONE: v128 = i32x4(0, 0, 0, 0);

function initStandout(): void {
  initMath();
  SIXTY = f64x2.splat(60.0);
  MINUS_SIXTY = f64x2.splat(-60.0);
  TWO_24X = f64x2.splat(TWO_24);
  F32_ONE = f32x4.splat(1.0);
}

/**
 * round(fround(p) * 2^24) with p = 1 / (1 + exp(-(alpha a + beta))) in float64, for lanes 0 and
 * 1 of `a` (float32), as i32 lanes 0 and 1. The exponent is clamped to [-60, 60], which changes
 * no threshold (p * 2^24 rounds to 0 beyond 60 and p rounds to 1 below -60) and keeps exp2x in
 * range; NaN passes the clamp and gives threshold 0, so the unit is dropped, as in the reference.
 * p * 2^24 has at most 24 significant bits, so adding 0.5 is exact and floor gives Math.round.
 */
function threshold2(a: v128, alpha: v128, beta: v128): v128 {
  const t = f64x2.neg(f64x2.add(f64x2.mul(alpha, f64x2.promote_low_f32x4(a)), beta));
  const clamped = f64x2.max(f64x2.min(t, SIXTY), MINUS_SIXTY);
  const p = f64x2.div(ONE, f64x2.add(ONE, exp2x(clamped)));
  const p32 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(p));
  const scaled = f64x2.floor(f64x2.add(f64x2.mul(p32, TWO_24X), HALF));
  return i32x4.trunc_sat_f64x2_s_zero(scaled);
}

/** Four elements: kept (x * 1) iff u < round(p * 2^24), else x * 0. */
function standoutVec(x: v128, a: v128, words: v128, alpha: v128, beta: v128): v128 {
  const lo = threshold2(a, alpha, beta);
  const hi = threshold2(i32x4.shuffle(a, a, 2, 3, 2, 3), alpha, beta);
  const thr = i32x4.shuffle(lo, hi, 0, 1, 4, 5);
  const keep = i32x4.lt_s(i32x4.shr_u(words, 8), thr);
  return f32x4.mul(x, v128.and(keep, F32_ONE));
}

/** The first `count` (0..4) elements at x, a, out. */
@inline
function step(
  x: usize,
  a: usize,
  out: usize,
  count: u32,
  words: v128,
  alpha: v128,
  beta: v128,
): void {
  storeLanes(out, standoutVec(loadLanes(x, count), loadLanes(a, count), words, alpha, beta), count);
}

/**
 * Standout: out[i] = x[i] kept with probability sigmoid(alpha * a[i] + beta), else x[i] * 0.
 * x, a and out point at element 36 first of the tensor, and n elements from there are done:
 * the whole tensor with first = 0, or one chunk of it.
 */
export function standout(
  x: usize,
  a: usize,
  out: usize,
  n: u32,
  alpha: f64,
  beta: f64,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
  first: u32,
): void {
  setKey(k0, k1, k2, k3);
  initStandout();
  const al = f64x2.splat(alpha);
  const be = f64x2.splat(beta);
  const groups = n / GROUP + (n % GROUP !== 0 ? 1 : 0);
  for (let g: u32 = 0; g < groups; g++) {
    wordsOf((first + g) * 9);
    const off = <usize>(g * GROUP * 4);
    const rest = n - g * GROUP;
    const xp = x + off;
    const ap = a + off;
    const op = out + off;
    // The exp and division dominate here, so one loop serves full and partial groups alike.
    step(xp, ap, op, laneCount(rest, 0), E0, al, be);
    step(xp + 16, ap + 16, op + 16, laneCount(rest, 1), E1, al, be);
    step(xp + 32, ap + 32, op + 32, laneCount(rest, 2), E2, al, be);
    step(xp + 48, ap + 48, op + 48, laneCount(rest, 3), E3, al, be);
    step(xp + 64, ap + 64, op + 64, laneCount(rest, 4), E4, al, be);
    step(xp + 80, ap + 80, op + 80, laneCount(rest, 5), E5, al, be);
    step(xp + 96, ap + 96, op + 96, laneCount(rest, 6), E6, al, be);
    step(xp + 112, ap + 112, op + 112, laneCount(rest, 7), E7, al, be);
    step(xp + 128, ap + 128, op + 128, laneCount(rest, 8), E8, al, be);
  }
}
