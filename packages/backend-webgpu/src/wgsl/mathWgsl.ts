/**
 * WGSL functions whose accuracy dropkit pins down itself instead of leaving it to the builtins:
 * WGSL lets `cos` be off by 2^-11 and `log` by several ULP, too loose for Gaussian dropout's
 * 1e-6 agreement with the float64 reference, and has no float64 for DropBlock's rescale.
 */

/**
 * `box_muller_ln(w)`: ln(u1) with u1 = ((w >> 8) + 1) / 2^24 in (0, 1], for four words at once.
 * u1 = K / 2^24 with K an integer in [1, 2^24], so it splits exactly into 2^e * m with m in
 * [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its odd series
 * to s^9 (truncation below 1e-9 relative); e ln 2 uses a two-part ln 2 whose high part has few
 * bits, so e * LN2_HI is exact. Near u1 = 1 no cancellation happens (e = 0, m = u1).
 */
export const LN_U1_WGSL = `
  fn box_muller_ln(w : vec4<u32>) -> vec4<f32> {
    let k = (w >> vec4<u32>(8u)) + vec4<u32>(1u);
    let lead = firstLeadingBit(k);
    var m = ldexp(vec4<f32>(k), -vec4<i32>(lead));
    var e = vec4<i32>(lead) - vec4<i32>(24);
    let big = m > vec4<f32>(1.4142135623730951);
    m = select(m, m * 0.5, big);
    e = select(e, e + vec4<i32>(1), big);
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 1.0 + s2 * (0.3333333333333333 + s2 * (0.2 + s2 * (0.14285714285714285 + s2 * 0.1111111111111111)));
    let ef = vec4<f32>(e);
    return ef * 0.693145751953125 + (ef * 1.4286068202862268e-6 + 2.0 * s * series);
  }
`;

/**
 * `cos_turns(j)`: cos(2 pi j / 2^24) for 24-bit integers j. The range reduction is exact integer
 * arithmetic: q = the nearest quarter turn, r = j - q 2^22 in [-2^21, 2^21), phi = r 2pi / 2^24
 * in [-pi/4, pi/4) (one rounding); then cos(q pi/2 + phi) is +-cos phi or +-sin phi by
 * polynomials to phi^8 and phi^9 (truncation below 3e-8). The relative error stays near 1e-7
 * even close to the zeros of the cosine, where a builtin cos of a rounded 2 pi u loses it all.
 */
export const COS_TURNS_WGSL = `
  fn cos_turns(j : vec4<u32>) -> vec4<f32> {
    let qr = (j + vec4<u32>(0x200000u)) >> vec4<u32>(22u);
    let r = bitcast<vec4<i32>>(j - (qr << vec4<u32>(22u)));
    let phi = vec4<f32>(r) * 3.7450702829239286e-7;
    let p2 = phi * phi;
    let c = 1.0 + p2 * (-0.5 + p2 * (0.041666666666666664 + p2 * (-0.001388888888888889 + p2 * 2.48015873015873e-5)));
    let s = phi * (1.0 + p2 * (-0.16666666666666666 + p2 * (0.008333333333333333 + p2 * (-0.0001984126984126984 + p2 * 2.7557319223985893e-6))));
    let q = qr & vec4<u32>(3u);
    let low = select(c, -s, q == vec4<u32>(1u));
    let high = select(-c, s, q == vec4<u32>(3u));
    return select(low, high, q >= vec4<u32>(2u));
  }
`;

/**
 * `exact_ratio(num, den)`: the float32 that JavaScript's `Math.fround(num / den)` gives for
 * integers num >= den >= 1, by long division in integers: a 54-bit quotient plus a sticky bit,
 * rounded to 53 bits (the float64 division), then to 24 (the fround), both to nearest even, so
 * even float64's double rounding is reproduced. The loop count depends only on num and den, so
 * every invocation that calls it with the same values runs it in lockstep.
 */
export const EXACT_RATIO_WGSL = `
  fn exact_ratio(num : u32, den : u32) -> f32 {
    let ip = num / den;
    var rem = num - ip * den;
    let lead = firstLeadingBit(ip);
    var hi = 0u;
    var lo = 0u;
    for (var k = 0u; k < 54u; k++) {
      var bit = 0u;
      if (k <= lead) {
        bit = (ip >> (lead - k)) & 1u;
      } else {
        let up = rem >= den - rem;
        bit = select(0u, 1u, up);
        rem = select(rem << 1u, rem - (den - rem), up);
      }
      hi = (hi << 1u) | (lo >> 28u);
      lo = ((lo << 1u) & 0x1fffffffu) | bit;
    }
    let up64 = (lo & 1u) != 0u && (rem != 0u || (lo & 2u) != 0u);
    var t = (lo >> 1u) + select(0u, 1u, up64);
    let h = hi + (t >> 28u);
    t = t & 0x0fffffffu;
    var q = h >> 1u;
    let up32 = (h & 1u) != 0u && (t != 0u || (q & 1u) != 0u);
    q = q + select(0u, 1u, up32);
    return ldexp(f32(q), i32(lead) - 23);
  }
`;

/**
 * `round_half_up_24(p)`: JavaScript's `Math.round(p * 2^24)` for p in [0, 1] as u32, 0 for NaN.
 * p * 2^24 is exact (a power of two), and so are its floor and fraction; WGSL's `round` would
 * round halves to even instead.
 */
export const ROUND_THRESHOLD_WGSL = `
  fn round_half_up_24(p : vec4<f32>) -> vec4<u32> {
    let v = p * 16777216.0;
    let f = floor(v);
    let t = vec4<u32>(f) + select(vec4<u32>(0u), vec4<u32>(1u), v - f >= vec4<f32>(0.5));
    return select(t, vec4<u32>(0u), isnanVec4(p));
  }
`;
