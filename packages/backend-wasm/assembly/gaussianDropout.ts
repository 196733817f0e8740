import { laneCount, loadLanes, storeLanes } from './lanes';
import { cos2x, initMath, log2x, ONE } from './math';
import { blocks8, setKey, W0, W1, W2, W3, W4, W5, W6, W7 } from './threefry';

const INV_TWO_24: f64 = 1.0 / 16777216.0;
// 2 pi (as JavaScript's 2 * Math.PI) times 2^-24: the angle of u2 = j / 2^24 is j times this, the
// same float64 product the reference rounds once.
const ANGLE_STEP: f64 = 6.283185307179586 / 16777216.0;

// Constants as globals, set by initGaussian (see math.ts for why).
let I32_ONE: v128 = i32x4(0, 0, 0, 0);
let INV_TWO_24X: v128 = i32x4(0, 0, 0, 0);
let ANGLE_STEPX: v128 = i32x4(0, 0, 0, 0);
let MINUS_TWO: v128 = i32x4(0, 0, 0, 0);

function initGaussian(): void {
  initMath();
  I32_ONE = i32x4.splat(1);
  INV_TWO_24X = f64x2.splat(INV_TWO_24);
  ANGLE_STEPX = f64x2.splat(ANGLE_STEP);
  MINUS_TWO = f64x2.splat(-2.0);
}

/**
 * Box-Muller for lanes 0 and 1 of the word vectors a, b (the other lanes are ignored):
 * z = sqrt(-2 ln u1) cos(2 pi u2), u1 = ((a >>> 8) + 1) / 2^24, u2 = (b >>> 8) / 2^24, in float64
 * as the reference computes it.
 */
function normal2(a: v128, b: v128): v128 {
  const ka = i32x4.add(i32x4.shr_u(a, 8), I32_ONE);
  const u1 = f64x2.mul(f64x2.convert_low_i32x4_s(ka), INV_TWO_24X);
  const angle = f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shr_u(b, 8)), ANGLE_STEPX);
  const radius = f64x2.sqrt(f64x2.mul(MINUS_TWO, log2x(u1)));
  return f64x2.mul(radius, cos2x(angle));
}

/**
 * The multipliers fround(1 + s * fround(z)) of two elements, in lanes 0 and 1 of a float32
 * vector: s * fround(z) is exact in float64, so the one rounding of the sum and the conversion
 * are the reference's.
 */
function multiplier2(z: v128, s: v128): v128 {
  const z32 = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(z));
  return f32x4.demote_f64x2_zero(f64x2.add(ONE, f64x2.mul(s, z32)));
}

// The multipliers of elements 16q..16q+15 after `multipliers16(q)`, four per vector.
let M0: v128 = i32x4(0, 0, 0, 0);
let M1: v128 = i32x4(0, 0, 0, 0);
let M2: v128 = i32x4(0, 0, 0, 0);
let M3: v128 = i32x4(0, 0, 0, 0);

/**
 * The multipliers of the 8 elements of four blocks given by word (lane j: block j): element
 * 2j uses words 0 and 1 of block j, element 2j + 1 words 2 and 3; the two are interleaved back
 * into element order.
 */
@inline
function multipliers8(w0: v128, w1: v128, w2: v128, w3: v128, s: v128, second: bool): void {
  const evenLo = multiplier2(normal2(w0, w1), s);
  const oddLo = multiplier2(normal2(w2, w3), s);
  const evenHi = multiplier2(
    normal2(i32x4.shuffle(w0, w0, 2, 3, 2, 3), i32x4.shuffle(w1, w1, 2, 3, 2, 3)),
    s,
  );
  const oddHi = multiplier2(
    normal2(i32x4.shuffle(w2, w2, 2, 3, 2, 3), i32x4.shuffle(w3, w3, 2, 3, 2, 3)),
    s,
  );
  if (second) {
    M2 = i32x4.shuffle(evenLo, oddLo, 0, 4, 1, 5);
    M3 = i32x4.shuffle(evenHi, oddHi, 0, 4, 1, 5);
  } else {
    M0 = i32x4.shuffle(evenLo, oddLo, 0, 4, 1, 5);
    M1 = i32x4.shuffle(evenHi, oddHi, 0, 4, 1, 5);
  }
}

/** Elements 16q..16q+15 use blocks 8q..8q+7 (element i: block i / 2). */
function multipliers16(q: u32, s: v128): void {
  blocks8(q << 3, false);
  multipliers8(W0, W1, W2, W3, s, false);
  multipliers8(W4, W5, W6, W7, s, true);
}

/**
 * Gaussian dropout: out[i] = x[i] * fround(1 + stddev * z_i), z by the normal layout; the final
 * multiply is one float32 operation, as in the reference. x and out point at element 16 first
 * of the tensor, and n elements from there are done: the whole tensor with first = 0, or one
 * chunk of it.
 */
export function gaussianDropout(
  x: usize,
  out: usize,
  n: u32,
  stddev: f32,
  k0: u32,
  k1: u32,
  k2: u32,
  k3: u32,
  first: u32,
): void {
  setKey(k0, k1, k2, k3);
  initGaussian();
  const s = f64x2.splat(<f64>stddev);
  const groups = n >>> 4;
  for (let q: u32 = 0; q < groups; q++) {
    multipliers16(first + q, s);
    const off = (<usize>q) << 6;
    v128.store(out + off, f32x4.mul(v128.load(x + off), M0));
    v128.store(out + off, f32x4.mul(v128.load(x + off, 16), M1), 16);
    v128.store(out + off, f32x4.mul(v128.load(x + off, 32), M2), 32);
    v128.store(out + off, f32x4.mul(v128.load(x + off, 48), M3), 48);
  }
  const rest = n & 15;
  if (rest === 0) return;
  multipliers16(first + groups, s);
  const off = (<usize>groups) << 6;
  let c = laneCount(rest, 0);
  storeLanes(out + off, f32x4.mul(loadLanes(x + off, c), M0), c);
  c = laneCount(rest, 1);
  storeLanes(out + off + 16, f32x4.mul(loadLanes(x + off + 16, c), M1), c);
  c = laneCount(rest, 2);
  storeLanes(out + off + 32, f32x4.mul(loadLanes(x + off + 32, c), M2), c);
  c = laneCount(rest, 3);
  storeLanes(out + off + 48, f32x4.mul(loadLanes(x + off + 48, c), M3), c);
}

/**
 * The float64 standard normals z of elements 0..count-1 of the normal layout, before any
 * rounding, written in whole groups of 16 (`out` must have room for count rounded up to a
 * multiple of 16): for the tests that measure the log and cos of math.ts against JavaScript's.
 */
export function normalNoise(out: usize, count: u32, k0: u32, k1: u32, k2: u32, k3: u32): void {
  setKey(k0, k1, k2, k3);
  initGaussian();
  const groups = (count + 15) >>> 4;
  for (let q: u32 = 0; q < groups; q++) {
    blocks8(q << 3, false);
    const p = out + ((<usize>q) << 7);
    normalsOfSet(p, W0, W1, W2, W3);
    normalsOfSet(p + 64, W4, W5, W6, W7);
  }
}

/** The 8 normals of one set of four blocks (given by word), in element order at p. */
function normalsOfSet(p: usize, w0: v128, w1: v128, w2: v128, w3: v128): void {
  const evenLo = normal2(w0, w1);
  const oddLo = normal2(w2, w3);
  const evenHi = normal2(i32x4.shuffle(w0, w0, 2, 3, 2, 3), i32x4.shuffle(w1, w1, 2, 3, 2, 3));
  const oddHi = normal2(i32x4.shuffle(w2, w2, 2, 3, 2, 3), i32x4.shuffle(w3, w3, 2, 3, 2, 3));
  v128.store(p, f64x2.shuffle(evenLo, oddLo, 0, 2));
  v128.store(p, f64x2.shuffle(evenLo, oddLo, 1, 3), 16);
  v128.store(p, f64x2.shuffle(evenHi, oddHi, 0, 2), 32);
  v128.store(p, f64x2.shuffle(evenHi, oddHi, 1, 3), 48);
}
