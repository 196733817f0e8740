import type { SeedAttrs } from '@dropkit/ops';
import type { ProgramUniform } from '../programs/webGpuProgram.js';

/** Random123's R_32x4 rotation constants, one pair per round modulo 8. */
const ROTATIONS: readonly (readonly [number, number])[] = [
  [10, 26],
  [11, 21],
  [13, 27],
  [23, 5],
  [6, 20],
  [17, 11],
  [25, 10],
  [18, 20],
];

/** Skein's key-schedule parity constant. */
const PARITY = 0x1bd11bda;

const rotl = (v: string, r: number) => `((${v} << ${r}u) | (${v} >> ${32 - r}u))`;

function rounds(): string {
  const ks = ['k.x', 'k.y', 'k.z', 'k.w', 'k4'];
  const lines: string[] = [];
  for (let r = 0; r < 20; r++) {
    const [a, b] = ROTATIONS[r % 8] as readonly [number, number];
    lines.push(
      r % 2 === 0
        ? `x0 += x1; x1 = ${rotl('x1', a)} ^ x0; x2 += x3; x3 = ${rotl('x3', b)} ^ x2;`
        : `x0 += x3; x3 = ${rotl('x3', a)} ^ x0; x2 += x1; x1 = ${rotl('x1', b)} ^ x2;`,
    );
    if (r % 4 === 3) {
      const s = (r + 1) / 4;
      lines.push(
        `x0 += ${ks[s % 5]}; x1 += ${ks[(s + 1) % 5]}; x2 += ${ks[(s + 2) % 5]}; x3 += ${ks[(s + 3) % 5]} + ${s}u;`,
      );
    }
  }
  return lines.join('\n    ');
}

/**
 * WGSL of `threefry4x32(c, k, k4) -> vec4<u32>`: one Threefry4x32-20 block for counter `c` and
 * key `k`, with `k4 = k.x ^ k.y ^ k.z ^ k.w ^ 0x1BD11BDA` passed in (computed once on the host).
 * Only 32-bit add, shift/or rotations by constants (one funnel shift on most GPUs) and xor; the
 * 20 rounds are unrolled so every rotation is a constant. Bit for bit the function of
 * `@dropkit/ops`'s `threefry4x32`.
 */
export const THREEFRY_WGSL = `
  fn threefry4x32(c : vec4<u32>, k : vec4<u32>, k4 : u32) -> vec4<u32> {
    var x0 = c.x + k.x;
    var x1 = c.y + k.y;
    var x2 = c.z + k.z;
    var x3 = c.w + k.w;
    ${rounds()}
    return vec4<u32>(x0, x1, x2, x3);
  }
`;

/** The WGSL uniform fields of the Threefry key, in {@link keyUniforms}'s order. */
export const KEY_UNIFORMS = 'key : vec4<u32>, k4 : u32,';

/**
 * The uniform values of a call's key: `(seedLo, seedHi, streamLo, streamHi)` and the fifth key
 * word of the schedule. Passed as uniforms, so a new seed or stream reuses the compiled shader.
 *
 * @param attrs - the call's seed attributes.
 * @returns the two uniform entries for {@link KEY_UNIFORMS}.
 */
export function keyUniforms(attrs: SeedAttrs): ProgramUniform[] {
  const k = [attrs.seedLo, attrs.seedHi, attrs.streamLo, attrs.streamHi].map((v) => v >>> 0);
  const k4 =
    ((k[0] as number) ^ (k[1] as number) ^ (k[2] as number) ^ (k[3] as number) ^ PARITY) >>> 0;
  return [
    { type: 'uint32', data: k },
    { type: 'uint32', data: [k4] },
  ];
}
