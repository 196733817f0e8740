// Threefry4x32-20 on eight blocks at once, as two interleaved sets of four lanes: lane j of set a
// is block base + j, lane j of set b is block base + 4 + j. Two independent sets keep the SIMD
// units busy where one set's chain of dependent operations would leave them waiting (about 25%
// faster than one set). The layout (which counter and which word an element uses) is the one of
// packages/ops/src/rng/threefry.ts; the known-answer and bit-equality tests pin it.
//
// All state lives in module globals, never in linear memory: the module imports tfjs's memory and
// must not write anywhere but the buffers it is handed. The functions are inlined into the
// kernels' loops (a call per 32 elements cost about a third of the time).
//
// The kernels only use counters (c, 0, 0, 0) (a tensor has fewer than 2^32 elements), for which
// the first two rounds partly depend on the key alone; blocks8 takes those parts from values
// computed once per call, about 5% fewer operations. blocks8Counter is the plain version for any
// counter; the known-answer tests run both.

const PARITY: u32 = 0x1bd11bda;

// The key words, splatted; K4 is the parity word. J1..J5 are the words added to x3 at the five
// key injections (a key word plus the injection's number), precomputed once per call.
let K0: v128 = i32x4(0, 0, 0, 0);
let K1: v128 = i32x4(0, 0, 0, 0);
let K2: v128 = i32x4(0, 0, 0, 0);
let K3: v128 = i32x4(0, 0, 0, 0);
let K4: v128 = i32x4(0, 0, 0, 0);
let J1: v128 = i32x4(0, 0, 0, 0);
let J2: v128 = i32x4(0, 0, 0, 0);
let J3: v128 = i32x4(0, 0, 0, 0);
let J4: v128 = i32x4(0, 0, 0, 0);
let J5: v128 = i32x4(0, 0, 0, 0);
// With counters (c, 0, 0, 0), everything in the first two rounds that does not depend on c is
// the same for every block: computed once per call (see blocks8).
let KA: v128 = i32x4(0, 0, 0, 0);
let KB: v128 = i32x4(0, 0, 0, 0);
let R1: v128 = i32x4(0, 0, 0, 0);
let X2: v128 = i32x4(0, 0, 0, 0);
let X3: v128 = i32x4(0, 0, 0, 0);
let R3: v128 = i32x4(0, 0, 0, 0);

/**
 * The words of the last {@link blocks8} call, by word: lane j of W0 is word 0 of block base + j,
 * lane j of W4 word 0 of block base + 4 + j (W0..W3 set a, W4..W7 set b).
 */
export let W0: v128 = i32x4(0, 0, 0, 0);
export let W1: v128 = i32x4(0, 0, 0, 0);
export let W2: v128 = i32x4(0, 0, 0, 0);
export let W3: v128 = i32x4(0, 0, 0, 0);
export let W4: v128 = i32x4(0, 0, 0, 0);
export let W5: v128 = i32x4(0, 0, 0, 0);
export let W6: v128 = i32x4(0, 0, 0, 0);
export let W7: v128 = i32x4(0, 0, 0, 0);

/**
 * The words of the last {@link words32} call in element order: E0 holds the four words of block
 * 8g (elements 32g..32g+3 of the uniform layout), E1 those of block 8g + 1, and so on to E7.
 */
export let E0: v128 = i32x4(0, 0, 0, 0);
export let E1: v128 = i32x4(0, 0, 0, 0);
export let E2: v128 = i32x4(0, 0, 0, 0);
export let E3: v128 = i32x4(0, 0, 0, 0);
export let E4: v128 = i32x4(0, 0, 0, 0);
export let E5: v128 = i32x4(0, 0, 0, 0);
export let E6: v128 = i32x4(0, 0, 0, 0);
export let E7: v128 = i32x4(0, 0, 0, 0);

/** Sets the key (k0, k1) = seed, (k2, k3) = stream of the following calls. */
export function setKey(k0: u32, k1: u32, k2: u32, k3: u32): void {
  K0 = i32x4.splat(k0);
  K1 = i32x4.splat(k1);
  K2 = i32x4.splat(k2);
  K3 = i32x4.splat(k3);
  K4 = i32x4.splat(k0 ^ k1 ^ k2 ^ k3 ^ PARITY);
  J1 = i32x4.add(K4, i32x4.splat(1));
  J2 = i32x4.add(K0, i32x4.splat(2));
  J3 = i32x4.add(K1, i32x4.splat(3));
  J4 = i32x4.add(K2, i32x4.splat(4));
  J5 = i32x4.add(K3, i32x4.splat(5));
  // Round 1 with x = (c + k0, k1, k2, k3): x0 = c + k0 + k1, x1 = rotl(k1, 10) ^ x0, and x2, x3
  // do not depend on c; round 2's rotl(x3, 11) neither. KA and KB add the lane offsets of sets a
  // and b to k0 + k1.
  KA = i32x4.add(i32x4.add(K0, K1), i32x4(0, 1, 2, 3));
  KB = i32x4.add(KA, i32x4.splat(4));
  R1 = rotl(K1, 10);
  X2 = i32x4.add(K2, K3);
  X3 = v128.xor(rotl(K3, 26), X2);
  R3 = rotl(X3, 11);
}

@inline
function rotl(v: v128, r: i32): v128 {
  return v128.or(i32x4.shl(v, r), i32x4.shr_u(v, 32 - r));
}

/**
 * Eight blocks at counters (base + j, 0, 0, 0), j = 0..7: set a holds blocks base..base+3, set b
 * blocks base+4..base+7; the words go to W0..W7, or in element order to E0..E7 when
 * `transposed` (a constant at every call, so the inlined code keeps one branch). Rounds 1 and 2
 * use the per-call values of setKey; rounds 3 to 20 are written out (constant rotations compile
 * to immediate shifts), with a key injection after every fourth round.
 */
@inline
export function blocks8(base: u32, transposed: bool): void {
  const c = i32x4.splat(base);
  // Rounds 1-2, rotations (10, 26), (11, 21).
  let x0a = i32x4.add(c, KA);
  let x1a = v128.xor(R1, x0a);
  let x0b = i32x4.add(c, KB);
  let x1b = v128.xor(R1, x0b);
  x0a = i32x4.add(x0a, X3);
  let x3a = v128.xor(R3, x0a);
  let x2a = i32x4.add(X2, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, X3);
  let x3b = v128.xor(R3, x0b);
  let x2b = i32x4.add(X2, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  // Rounds 3-4, rotations (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 1.
  x0a = i32x4.add(x0a, K1);
  x1a = i32x4.add(x1a, K2);
  x2a = i32x4.add(x2a, K3);
  x3a = i32x4.add(x3a, J1);
  x0b = i32x4.add(x0b, K1);
  x1b = i32x4.add(x1b, K2);
  x2b = i32x4.add(x2b, K3);
  x3b = i32x4.add(x3b, J1);
  // Rounds 5-8, rotations (6, 20), (17, 11), (25, 10), (18, 20).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 20), x2b);
  // Key injection 2.
  x0a = i32x4.add(x0a, K2);
  x1a = i32x4.add(x1a, K3);
  x2a = i32x4.add(x2a, K4);
  x3a = i32x4.add(x3a, J2);
  x0b = i32x4.add(x0b, K2);
  x1b = i32x4.add(x1b, K3);
  x2b = i32x4.add(x2b, K4);
  x3b = i32x4.add(x3b, J2);
  // Rounds 9-12, rotations (10, 26), (11, 21), (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 3.
  x0a = i32x4.add(x0a, K3);
  x1a = i32x4.add(x1a, K4);
  x2a = i32x4.add(x2a, K0);
  x3a = i32x4.add(x3a, J3);
  x0b = i32x4.add(x0b, K3);
  x1b = i32x4.add(x1b, K4);
  x2b = i32x4.add(x2b, K0);
  x3b = i32x4.add(x3b, J3);
  // Rounds 13-16, rotations (6, 20), (17, 11), (25, 10), (18, 20).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 20), x2b);
  // Key injection 4.
  x0a = i32x4.add(x0a, K4);
  x1a = i32x4.add(x1a, K0);
  x2a = i32x4.add(x2a, K1);
  x3a = i32x4.add(x3a, J4);
  x0b = i32x4.add(x0b, K4);
  x1b = i32x4.add(x1b, K0);
  x2b = i32x4.add(x2b, K1);
  x3b = i32x4.add(x3b, J4);
  // Rounds 17-20, rotations (10, 26), (11, 21), (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 5.
  x0a = i32x4.add(x0a, K0);
  x1a = i32x4.add(x1a, K1);
  x2a = i32x4.add(x2a, K2);
  x3a = i32x4.add(x3a, J5);
  x0b = i32x4.add(x0b, K0);
  x1b = i32x4.add(x1b, K1);
  x2b = i32x4.add(x2b, K2);
  x3b = i32x4.add(x3b, J5);
  if (transposed) {
    transposeInto(x0a, x1a, x2a, x3a, false);
    transposeInto(x0b, x1b, x2b, x3b, true);
    return;
  }
  W0 = x0a;
  W1 = x1a;
  W2 = x2a;
  W3 = x3a;
  W4 = x0b;
  W5 = x1b;
  W6 = x2b;
  W7 = x3b;
}

/**
 * Eight blocks at any counters: set a at (c0 lane j, c1, c2, c3), set b at (c0 lane j + 4, c1,
 * c2, c3); the words go to W0..W7. All 20 rounds written out, for the known-answer tests.
 */
export function blocks8Counter(c0: v128, c1: v128, c2: v128, c3: v128): void {
  let x0a = i32x4.add(c0, K0);
  let x1a = i32x4.add(c1, K1);
  let x2a = i32x4.add(c2, K2);
  let x3a = i32x4.add(c3, K3);
  let x0b = i32x4.add(x0a, i32x4.splat(4));
  let x1b = x1a;
  let x2b = x2a;
  let x3b = x3a;
  // Rounds 1-4, rotations (10, 26), (11, 21), (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 1.
  x0a = i32x4.add(x0a, K1);
  x1a = i32x4.add(x1a, K2);
  x2a = i32x4.add(x2a, K3);
  x3a = i32x4.add(x3a, J1);
  x0b = i32x4.add(x0b, K1);
  x1b = i32x4.add(x1b, K2);
  x2b = i32x4.add(x2b, K3);
  x3b = i32x4.add(x3b, J1);
  // Rounds 5-8, rotations (6, 20), (17, 11), (25, 10), (18, 20).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 20), x2b);
  // Key injection 2.
  x0a = i32x4.add(x0a, K2);
  x1a = i32x4.add(x1a, K3);
  x2a = i32x4.add(x2a, K4);
  x3a = i32x4.add(x3a, J2);
  x0b = i32x4.add(x0b, K2);
  x1b = i32x4.add(x1b, K3);
  x2b = i32x4.add(x2b, K4);
  x3b = i32x4.add(x3b, J2);
  // Rounds 9-12, rotations (10, 26), (11, 21), (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 3.
  x0a = i32x4.add(x0a, K3);
  x1a = i32x4.add(x1a, K4);
  x2a = i32x4.add(x2a, K0);
  x3a = i32x4.add(x3a, J3);
  x0b = i32x4.add(x0b, K3);
  x1b = i32x4.add(x1b, K4);
  x2b = i32x4.add(x2b, K0);
  x3b = i32x4.add(x3b, J3);
  // Rounds 13-16, rotations (6, 20), (17, 11), (25, 10), (18, 20).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 20), x2b);
  // Key injection 4.
  x0a = i32x4.add(x0a, K4);
  x1a = i32x4.add(x1a, K0);
  x2a = i32x4.add(x2a, K1);
  x3a = i32x4.add(x3a, J4);
  x0b = i32x4.add(x0b, K4);
  x1b = i32x4.add(x1b, K0);
  x2b = i32x4.add(x2b, K1);
  x3b = i32x4.add(x3b, J4);
  // Rounds 17-20, rotations (10, 26), (11, 21), (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl(x1b, 5), x2b);
  // Key injection 5.
  x0a = i32x4.add(x0a, K0);
  x1a = i32x4.add(x1a, K1);
  x2a = i32x4.add(x2a, K2);
  x3a = i32x4.add(x3a, J5);
  x0b = i32x4.add(x0b, K0);
  x1b = i32x4.add(x1b, K1);
  x2b = i32x4.add(x2b, K2);
  x3b = i32x4.add(x3b, J5);
  W0 = x0a;
  W1 = x1a;
  W2 = x2a;
  W3 = x3a;
  W4 = x0b;
  W5 = x1b;
  W6 = x2b;
  W7 = x3b;
}

/** Element order from word order for one set of four blocks: a 4x4 transpose. */
@inline
function transposeInto(w0: v128, w1: v128, w2: v128, w3: v128, second: bool): void {
  const t0 = i32x4.shuffle(w0, w1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(w2, w3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(w0, w1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(w2, w3, 2, 6, 3, 7);
  if (second) {
    E4 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
    E5 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
    E6 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
    E7 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
  } else {
    E0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
    E1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
    E2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
    E3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
  }
}

/** Transposes W0..W7 (by word) into E0..E7 (by block, in element order). */
@inline
export function transpose8(): void {
  transposeInto(W0, W1, W2, W3, false);
  transposeInto(W4, W5, W6, W7, true);
}

/**
 * The 32 words of blocks 8g..8g+7 in element order (E0..E7): elements 32g..32g+31 of the uniform
 * layout. The high counter words are 0: a tensor has fewer than 2^32 elements.
 */
@inline
export function words32(g: u32): void {
  blocks8(g << 3, true);
}
