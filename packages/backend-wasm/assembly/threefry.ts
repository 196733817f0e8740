import { dropped, dropVec } from './elementOps';

// Threefry4x32-20 for the kernels, in three forms. The layout (which counter and which word an
// element uses) is the one of packages/ops/src/rng/threefry.ts; the known-answer and bit-equality
// tests pin all three.
//
// forGroups, the grouped form (dropout, the uniforms of DropBlock's seeds, the masks of broadcast
// dropout, standout): groups of nine blocks at counters (base + j, 0, 0, 0), j = 0..8, whose 36
// words are elements 4 base..4 base + 35 in element order. Blocks base..base+3 and base+4..base+7
// are two interleaved sets of four SIMD lanes (two independent chains keep the vector units busy
// where one set's chain of dependent operations would leave them waiting), and block base+8 runs
// in scalar i32 arithmetic on the integer units, which the vector code leaves idle: a rotation is
// one instruction there, and the block costs the vector units only the two instructions that move
// its words into a vector. Written side by side round by round, the three chains keep both kinds
// of unit fed: on the AMD EPYC (Zen 3) this was measured on, dropout's kernel ran about 10%
// faster than with the two SIMD sets alone (a second scalar block, a third SIMD set with its
// registers spilled, or one SIMD set with scalar blocks were slower). That holds while the core
// is the kernel's own: when the VM's other core was busy (apparently the same physical core's
// second thread), dropout's kernel ran as fast as before, the masks' about 5% slower, alpha
// dropout's 15% slower, the scalar block's units being shared then. forGroups runs the whole loop
// over the groups and hands each group's words to the kernel's element operation (`Use`) in
// registers: the per-call key values it reads are locals set before the loop, which V8 keeps in
// registers or spills once, where module globals read inside the loop were reloaded and spilled
// again every iteration (about 6% slower).
//
// blocks8, the eight-block form (alpha dropout, Gaussian dropout): the two SIMD sets alone, words
// by word (W0..W7) or in element order (E0..E7).
//
// blocks8Counter: eight blocks at any counter, for the known-answer tests of counters with high
// words.
//
// The rounds are written out, so that constant rotations compile to immediate shifts (SIMD has no
// rotate: a shift left, a shift right and an or). All state lives in module globals or locals,
// never in linear memory: the module imports tfjs's memory and must not write anywhere but the
// buffers it is handed. forGroups and blocks8 are inlined into the kernels' loops (a call per
// group cost about a third of the time).
//
// The kernels only use counters (c, 0, 0, 0) (a tensor has fewer than 2^32 elements), for which
// the first two rounds partly depend on the key alone: forGroups and blocks8 take those parts
// from values computed once per call by setKey, about 5% fewer operations.

const PARITY: u32 = 0x1bd11bda;

// The key words, splatted; K4 is the parity word. J1..J5 are the words added to x3 at the five
// key injections (a key word plus the injection's number).
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
// The same words for the scalar block.
let SK0: u32 = 0;
let SK1: u32 = 0;
let SK2: u32 = 0;
let SK3: u32 = 0;
let SK4: u32 = 0;
let SJ1: u32 = 0;
let SJ2: u32 = 0;
let SJ3: u32 = 0;
let SJ4: u32 = 0;
let SJ5: u32 = 0;
// With counters (c, 0, 0, 0), everything in the first two rounds that does not depend on c is
// the same for every block (see setKey); KA and KB also hold the counter offsets of the lanes of
// sets a and b, SKA that of the scalar block.
let KA: v128 = i32x4(0, 0, 0, 0);
let KB: v128 = i32x4(0, 0, 0, 0);
let R1: v128 = i32x4(0, 0, 0, 0);
let X2: v128 = i32x4(0, 0, 0, 0);
let X3: v128 = i32x4(0, 0, 0, 0);
let R3: v128 = i32x4(0, 0, 0, 0);
let SKA: u32 = 0;
let SR1: u32 = 0;
let SX2: u32 = 0;
let SX3: u32 = 0;
let SR3: u32 = 0;

/**
 * The words of the last {@link blocks8} (not transposed) or {@link blocks8Counter} call, by
 * word: lane j of W0 is word 0 of block j, lane j of W4 word 0 of block 4 + j (W0..W3 the first
 * four blocks, W4..W7 the next four).
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
 * Words in element order: E0 holds the four words of the first block, E1 those of the second,
 * and so on; E0..E8 from the last {@link wordsOf}, E0..E7 from the last transposed
 * {@link blocks8} or {@link transpose8}.
 */
export let E0: v128 = i32x4(0, 0, 0, 0);
export let E1: v128 = i32x4(0, 0, 0, 0);
export let E2: v128 = i32x4(0, 0, 0, 0);
export let E3: v128 = i32x4(0, 0, 0, 0);
export let E4: v128 = i32x4(0, 0, 0, 0);
export let E5: v128 = i32x4(0, 0, 0, 0);
export let E6: v128 = i32x4(0, 0, 0, 0);
export let E7: v128 = i32x4(0, 0, 0, 0);
export let E8: v128 = i32x4(0, 0, 0, 0);

/** Elements per group of {@link forGroups}: the 4 words of each of its 9 blocks. */
export const GROUP: u32 = 36;

/** What {@link forGroups} does with each vector of four words (the elements they are). */
export const enum Use {
  /** out = dropout of x: dropVec(x, words, thr, scale). */
  Dropout,
  /** out = the 24-bit uniforms, words >>> 8. */
  Uniform,
  /** out = the drop mask, dropped(words, thr). */
  Mask,
  /** E0..E8 = the words (the last group's only). */
  Words,
  /**
   * One byte per block at out + block: bit w set where word w (element 4 block + w) is dropped,
   * dropped(words, thr); what a helper thread hands back for {@link applyDropBits}.
   */
  Bits,
}

/** Sets the key (k0, k1) = seed, (k2, k3) = stream of the following calls. */
export function setKey(k0: u32, k1: u32, k2: u32, k3: u32): void {
  SK0 = k0;
  SK1 = k1;
  SK2 = k2;
  SK3 = k3;
  SK4 = k0 ^ k1 ^ k2 ^ k3 ^ PARITY;
  SJ1 = SK4 + 1;
  SJ2 = k0 + 2;
  SJ3 = k1 + 3;
  SJ4 = k2 + 4;
  SJ5 = k3 + 5;
  K0 = i32x4.splat(k0);
  K1 = i32x4.splat(k1);
  K2 = i32x4.splat(k2);
  K3 = i32x4.splat(k3);
  K4 = i32x4.splat(SK4);
  J1 = i32x4.splat(SJ1);
  J2 = i32x4.splat(SJ2);
  J3 = i32x4.splat(SJ3);
  J4 = i32x4.splat(SJ4);
  J5 = i32x4.splat(SJ5);
  // Round 1 with x = (c + k0, k1, k2, k3): x0 = c + k0 + k1, x1 = rotl(k1, 10) ^ x0, and x2, x3
  // do not depend on c; round 2's rotl(x3, 11) neither.
  SR1 = rotl<u32>(k1, 10);
  SX2 = k2 + k3;
  SX3 = rotl<u32>(k3, 26) ^ SX2;
  SR3 = rotl<u32>(SX3, 11);
  SKA = k0 + k1 + 8;
  KA = i32x4.add(i32x4.splat(k0 + k1), i32x4(0, 1, 2, 3));
  KB = i32x4.add(KA, i32x4.splat(4));
  R1 = i32x4.splat(SR1);
  X2 = i32x4.splat(SX2);
  X3 = i32x4.splat(SX3);
  R3 = i32x4.splat(SR3);
}

@inline
function rotl4(v: v128, r: i32): v128 {
  return v128.or(i32x4.shl(v, r), i32x4.shr_u(v, 32 - r));
}

/** One vector of a group: `use` (a constant at every call) applied to elements j*4..j*4+3. */
@inline
function apply(
  use: Use,
  j: u32,
  words: v128,
  x: usize,
  out: usize,
  thr: v128,
  scale: v128,
): void {
  const off = (<usize>j) << 4;
  if (use === Use.Dropout) {
    v128.store(out + off, dropVec(v128.load(x + off), words, thr, scale));
  } else if (use === Use.Uniform) {
    v128.store(out + off, i32x4.shr_u(words, 8));
  } else if (use === Use.Mask) {
    v128.store(out + off, dropped(words, thr));
  }
}

/**
 * `groups` groups of nine blocks, the first at counter (first, 0, 0, 0), each group's words
 * handed to `use` (a constant at every call, so the inlined loop keeps one of them) on the
 * elements at x and out, 36 a group; `thr` (the threshold, splatted) and `scale` as `use` needs
 * them. Rounds 1 and 2 use the per-call values of setKey; rounds 3 to 20 are written out, with
 * a key injection after every fourth round.
 */
@inline
export function forGroups(
  use: Use,
  first: u32,
  groups: u32,
  x: usize,
  out: usize,
  thr: v128,
  scale: v128,
): void {
  const k0 = K0;
  const k1 = K1;
  const k2 = K2;
  const k3 = K3;
  const k4 = K4;
  const j1 = J1;
  const j2 = J2;
  const j3 = J3;
  const j4 = J4;
  const j5 = J5;
  const sk0 = SK0;
  const sk1 = SK1;
  const sk2 = SK2;
  const sk3 = SK3;
  const sk4 = SK4;
  const sj1 = SJ1;
  const sj2 = SJ2;
  const sj3 = SJ3;
  const sj4 = SJ4;
  const sj5 = SJ5;
  const ka = KA;
  const kb = KB;
  const r1 = R1;
  const x2 = X2;
  const x3 = X3;
  const r3 = R3;
  const ska = SKA;
  const sr1 = SR1;
  const sx2 = SX2;
  const sx3 = SX3;
  const sr3 = SR3;
  for (let g: u32 = 0; g < groups; g++) {
    const base = first + g * 9;
    const c = i32x4.splat(base);
    // Rounds 1-2, rotations (10, 26), (11, 21).
    let x0a = i32x4.add(c, ka);
    let x1a = v128.xor(r1, x0a);
    let x0b = i32x4.add(c, kb);
    let x1b = v128.xor(r1, x0b);
    let y0: u32 = base + ska;
    let y1: u32 = sr1 ^ y0;
    x0a = i32x4.add(x0a, x3);
    let x3a = v128.xor(r3, x0a);
    let x2a = i32x4.add(x2, x1a);
    x1a = v128.xor(rotl4(x1a, 21), x2a);
    x0b = i32x4.add(x0b, x3);
    let x3b = v128.xor(r3, x0b);
    let x2b = i32x4.add(x2, x1b);
    x1b = v128.xor(rotl4(x1b, 21), x2b);
    y0 += sx3;
    let y3: u32 = sr3 ^ y0;
    let y2: u32 = sx2 + y1;
    y1 = rotl<u32>(y1, 21) ^ y2;
    // Rounds 3-4, rotations (13, 27), (23, 5).
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 13), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 27), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 13), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 27), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 13) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 27) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 23), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 5), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 23), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 5), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 23) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 5) ^ y2;
    // Key injection 1.
    x0a = i32x4.add(x0a, k1);
    x1a = i32x4.add(x1a, k2);
    x2a = i32x4.add(x2a, k3);
    x3a = i32x4.add(x3a, j1);
    x0b = i32x4.add(x0b, k1);
    x1b = i32x4.add(x1b, k2);
    x2b = i32x4.add(x2b, k3);
    x3b = i32x4.add(x3b, j1);
    y0 += sk1;
    y1 += sk2;
    y2 += sk3;
    y3 += sj1;
    // Rounds 5-8, rotations (6, 20), (17, 11), (25, 10), (18, 20).
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 6), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 20), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 6), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 20), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 6) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 20) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 17), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 11), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 17), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 11), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 17) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 11) ^ y2;
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 25), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 10), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 25), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 10), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 25) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 10) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 18), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 20), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 18), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 20), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 18) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 20) ^ y2;
    // Key injection 2.
    x0a = i32x4.add(x0a, k2);
    x1a = i32x4.add(x1a, k3);
    x2a = i32x4.add(x2a, k4);
    x3a = i32x4.add(x3a, j2);
    x0b = i32x4.add(x0b, k2);
    x1b = i32x4.add(x1b, k3);
    x2b = i32x4.add(x2b, k4);
    x3b = i32x4.add(x3b, j2);
    y0 += sk2;
    y1 += sk3;
    y2 += sk4;
    y3 += sj2;
    // Rounds 9-12, rotations (10, 26), (11, 21), (13, 27), (23, 5).
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 10), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 26), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 10), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 26), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 10) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 26) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 11), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 21), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 11), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 21), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 11) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 21) ^ y2;
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 13), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 27), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 13), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 27), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 13) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 27) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 23), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 5), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 23), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 5), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 23) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 5) ^ y2;
    // Key injection 3.
    x0a = i32x4.add(x0a, k3);
    x1a = i32x4.add(x1a, k4);
    x2a = i32x4.add(x2a, k0);
    x3a = i32x4.add(x3a, j3);
    x0b = i32x4.add(x0b, k3);
    x1b = i32x4.add(x1b, k4);
    x2b = i32x4.add(x2b, k0);
    x3b = i32x4.add(x3b, j3);
    y0 += sk3;
    y1 += sk4;
    y2 += sk0;
    y3 += sj3;
    // Rounds 13-16, rotations (6, 20), (17, 11), (25, 10), (18, 20).
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 6), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 20), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 6), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 20), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 6) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 20) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 17), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 11), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 17), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 11), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 17) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 11) ^ y2;
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 25), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 10), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 25), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 10), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 25) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 10) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 18), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 20), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 18), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 20), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 18) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 20) ^ y2;
    // Key injection 4.
    x0a = i32x4.add(x0a, k4);
    x1a = i32x4.add(x1a, k0);
    x2a = i32x4.add(x2a, k1);
    x3a = i32x4.add(x3a, j4);
    x0b = i32x4.add(x0b, k4);
    x1b = i32x4.add(x1b, k0);
    x2b = i32x4.add(x2b, k1);
    x3b = i32x4.add(x3b, j4);
    y0 += sk4;
    y1 += sk0;
    y2 += sk1;
    y3 += sj4;
    // Rounds 17-20, rotations (10, 26), (11, 21), (13, 27), (23, 5).
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 10), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 26), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 10), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 26), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 10) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 26) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 11), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 21), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 11), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 21), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 11) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 21) ^ y2;
    x0a = i32x4.add(x0a, x1a);
    x1a = v128.xor(rotl4(x1a, 13), x0a);
    x2a = i32x4.add(x2a, x3a);
    x3a = v128.xor(rotl4(x3a, 27), x2a);
    x0b = i32x4.add(x0b, x1b);
    x1b = v128.xor(rotl4(x1b, 13), x0b);
    x2b = i32x4.add(x2b, x3b);
    x3b = v128.xor(rotl4(x3b, 27), x2b);
    y0 += y1;
    y1 = rotl<u32>(y1, 13) ^ y0;
    y2 += y3;
    y3 = rotl<u32>(y3, 27) ^ y2;
    x0a = i32x4.add(x0a, x3a);
    x3a = v128.xor(rotl4(x3a, 23), x0a);
    x2a = i32x4.add(x2a, x1a);
    x1a = v128.xor(rotl4(x1a, 5), x2a);
    x0b = i32x4.add(x0b, x3b);
    x3b = v128.xor(rotl4(x3b, 23), x0b);
    x2b = i32x4.add(x2b, x1b);
    x1b = v128.xor(rotl4(x1b, 5), x2b);
    y0 += y3;
    y3 = rotl<u32>(y3, 23) ^ y0;
    y2 += y1;
    y1 = rotl<u32>(y1, 5) ^ y2;
    // Key injection 5.
    x0a = i32x4.add(x0a, k0);
    x1a = i32x4.add(x1a, k1);
    x2a = i32x4.add(x2a, k2);
    x3a = i32x4.add(x3a, j5);
    x0b = i32x4.add(x0b, k0);
    x1b = i32x4.add(x1b, k1);
    x2b = i32x4.add(x2b, k2);
    x3b = i32x4.add(x3b, j5);
    y0 += sk0;
    y1 += sk1;
    y2 += sk2;
    y3 += sj5;
    // Element order: a 4x4 transpose of each SIMD set; a scalar block's words are in element
    // order already, and two 64-bit moves take them across.
    let t0 = i32x4.shuffle(x0a, x1a, 0, 4, 1, 5);
    let t1 = i32x4.shuffle(x2a, x3a, 0, 4, 1, 5);
    let t2 = i32x4.shuffle(x0a, x1a, 2, 6, 3, 7);
    let t3 = i32x4.shuffle(x2a, x3a, 2, 6, 3, 7);
    const e0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
    const e1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
    const e2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
    const e3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
    t0 = i32x4.shuffle(x0b, x1b, 0, 4, 1, 5);
    t1 = i32x4.shuffle(x2b, x3b, 0, 4, 1, 5);
    t2 = i32x4.shuffle(x0b, x1b, 2, 6, 3, 7);
    t3 = i32x4.shuffle(x2b, x3b, 2, 6, 3, 7);
    const e4 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
    const e5 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
    const e6 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
    const e7 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
    const e8 = i64x2.replace_lane(
      i64x2.splat(((<u64>y1) << 32) | (<u64>y0)),
      1,
      ((<u64>y3) << 32) | (<u64>y2),
    );
    if (use === Use.Words) {
      E0 = e0;
      E1 = e1;
      E2 = e2;
      E3 = e3;
      E4 = e4;
      E5 = e5;
      E6 = e6;
      E7 = e7;
      E8 = e8;
    } else if (use === Use.Bits) {
      const bp = out + <usize>(g * 9);
      store<u8>(bp, i32x4.bitmask(dropped(e0, thr)));
      store<u8>(bp, i32x4.bitmask(dropped(e1, thr)), 1);
      store<u8>(bp, i32x4.bitmask(dropped(e2, thr)), 2);
      store<u8>(bp, i32x4.bitmask(dropped(e3, thr)), 3);
      store<u8>(bp, i32x4.bitmask(dropped(e4, thr)), 4);
      store<u8>(bp, i32x4.bitmask(dropped(e5, thr)), 5);
      store<u8>(bp, i32x4.bitmask(dropped(e6, thr)), 6);
      store<u8>(bp, i32x4.bitmask(dropped(e7, thr)), 7);
      store<u8>(bp, i32x4.bitmask(dropped(e8, thr)), 8);
    } else {
      const off = <usize>(g * GROUP * 4);
      const xp = x + off;
      const op = out + off;
      apply(use, 0, e0, xp, op, thr, scale);
      apply(use, 1, e1, xp, op, thr, scale);
      apply(use, 2, e2, xp, op, thr, scale);
      apply(use, 3, e3, xp, op, thr, scale);
      apply(use, 4, e4, xp, op, thr, scale);
      apply(use, 5, e5, xp, op, thr, scale);
      apply(use, 6, e6, xp, op, thr, scale);
      apply(use, 7, e7, xp, op, thr, scale);
      apply(use, 8, e8, xp, op, thr, scale);
    }
  }
}

/**
 * The 36 words of the nine blocks at counters (base + j, 0, 0, 0), j = 0..8, in element order
 * in E0..E8 (elements 4 base..4 base + 35 of the uniform layout): for the ends of tensors, and
 * kernels whose own work outweighs the words'.
 */
export function wordsOf(base: u32): void {
  const zero = i32x4(0, 0, 0, 0);
  forGroups(Use.Words, base, 1, 0, 0, zero, zero);
}

/** E0..E8 by index, for the ends of tensors (a switch, so never in a kernel's main loop). */
export function elementWords(j: u32): v128 {
  switch (j) {
    case 0:
      return E0;
    case 1:
      return E1;
    case 2:
      return E2;
    case 3:
      return E3;
    case 4:
      return E4;
    case 5:
      return E5;
    case 6:
      return E6;
    case 7:
      return E7;
    default:
      return E8;
  }
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
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, X3);
  let x3b = v128.xor(R3, x0b);
  let x2b = i32x4.add(X2, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  // Rounds 3-4, rotations (13, 27), (23, 5).
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
  x1a = v128.xor(rotl4(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 20), x2b);
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
  x1a = v128.xor(rotl4(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
  x1a = v128.xor(rotl4(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 20), x2b);
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
  x1a = v128.xor(rotl4(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
  x1a = v128.xor(rotl4(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
  x1a = v128.xor(rotl4(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 20), x2b);
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
  x1a = v128.xor(rotl4(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
  x1a = v128.xor(rotl4(x1a, 6), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 20), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 6), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 20), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 17), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 11), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 17), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 11), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 25), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 10), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 25), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 10), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 18), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 20), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 18), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 20), x2b);
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
  x1a = v128.xor(rotl4(x1a, 10), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 26), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 10), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 26), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 11), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 21), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 11), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 21), x2b);
  x0a = i32x4.add(x0a, x1a);
  x1a = v128.xor(rotl4(x1a, 13), x0a);
  x2a = i32x4.add(x2a, x3a);
  x3a = v128.xor(rotl4(x3a, 27), x2a);
  x0b = i32x4.add(x0b, x1b);
  x1b = v128.xor(rotl4(x1b, 13), x0b);
  x2b = i32x4.add(x2b, x3b);
  x3b = v128.xor(rotl4(x3b, 27), x2b);
  x0a = i32x4.add(x0a, x3a);
  x3a = v128.xor(rotl4(x3a, 23), x0a);
  x2a = i32x4.add(x2a, x1a);
  x1a = v128.xor(rotl4(x1a, 5), x2a);
  x0b = i32x4.add(x0b, x3b);
  x3b = v128.xor(rotl4(x3b, 23), x0b);
  x2b = i32x4.add(x2b, x1b);
  x1b = v128.xor(rotl4(x1b, 5), x2b);
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
 * layout, by the eight-block form.
 */
@inline
export function words32(g: u32): void {
  blocks8(g << 3, true);
}
