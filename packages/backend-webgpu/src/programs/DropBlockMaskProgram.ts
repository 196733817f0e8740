import { KEY_UNIFORMS, THREEFRY_WGSL } from '../wgsl/threefryWgsl.js';
import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

/** Invocations per workgroup of the mask pass. */
const WORKGROUP = 64;

/** The sizes of one DropBlock mask pass. */
export interface DropBlockMaskGeometry {
  /** Mask planes: N * C' (C' = C per channel, 1 shared). */
  readonly planes: number;
  readonly h: number;
  readonly w: number;
  /** Seed grid: H - bs + 1 by W - bs + 1. */
  readonly hs: number;
  readonly ws: number;
  readonly bs: number;
}

/** The largest block size whose seed rows fit the 16 KiB of workgroup memory WebGPU guarantees. */
export const MAX_BLOCK_SIZE = 4032;

/** 32-bit words per mask row: bit x mod 32 of word floor(x / 32) is column x. */
export const wordsPerRow = (w: number): number => Math.ceil(w / 32);

/**
 * Pass 1 of 2 of DropBlock (3 of 4 of ProbDropBlock): the dropped mask, as one bit per position,
 * and the count of kept positions. Output (int32, atomic): element 0 the kept count, which the
 * caller zeroes before the dispatch; then the bits of row y of plane p at 1 + (p H + y) words +
 * word. A workgroup owns `slots` tiles of 32 columns by `rows` mask rows; it first builds, in
 * workgroup memory, each seed row that can reach its tiles, dilated sideways: bit x is set when a
 * firing seed j of that row has j <= x < j + bs (seed element (p Hs + i) Ws + j of the uniform
 * noise, one Threefry block per 4 seeds, a seed fires iff u < its threshold); then each
 * invocation ORs bs of those rows for its mask row (the downward dilation) and counts the zero
 * bits. The count is summed in workgroup memory and added once per workgroup to element 0.
 */
export class DropBlockMaskProgram implements WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = `${KEY_UNIFORMS} thr : u32, mapH : u32, mapW : u32, seedH : u32, seedW : u32, wordsPerRow : u32, bands : u32, tiles : u32, maskChannels : u32,`;
  atomic = true;
  /** Tiles in the whole dispatch (a uniform). */
  readonly tiles: number;
  /** Bands of `rows` mask rows per map (a uniform). */
  readonly bands: number;
  private readonly rows: number;
  private readonly slots: number;
  private readonly bs: number;
  private readonly salient: boolean;

  /**
   * @param g - the geometry.
   * @param salient - seed thresholds come from an int32 input `T` (one per sample and seed
   *   position, ProbDropBlock) instead of the uniform `thr`.
   */
  constructor(g: DropBlockMaskGeometry, salient: boolean) {
    this.salient = salient;
    this.variableNames = salient ? ['T'] : [];
    this.bs = g.bs;
    // A power of two rows per tile, the map's height rounded up (at most the workgroup), so
    // small maps pack several tiles into one workgroup instead of leaving invocations idle.
    this.rows = Math.min(WORKGROUP, 2 ** Math.ceil(Math.log2(g.h)));
    this.slots = WORKGROUP / this.rows;
    this.bands = Math.ceil(g.h / this.rows);
    this.tiles = g.planes * wordsPerRow(g.w) * this.bands;
    this.outputShape = [1 + g.planes * g.h * wordsPerRow(g.w)];
    this.shaderKey = `dropkit_dropblock_mask_${g.bs}_${this.rows}_${salient ? 'prob' : 'plain'}`;
    this.dispatch = flatDispatch(Math.ceil(this.tiles / this.slots) * WORKGROUP, WORKGROUP);
  }

  getUserCode(): string {
    const { bs, rows, slots } = this;
    const span = rows + bs - 1;
    const threshold = this.salient
      ? 'bitcast<u32>(T[thrBase + u32(clamp(j, jlo, jhi))])'
      : 'uniforms.thr';
    return `
    ${THREEFRY_WGSL}
    var<workgroup> seedRows : array<u32, ${slots * span}>;
    var<workgroup> keptSum : atomic<u32>;

    // Columns x0..x0+31 hit by the firing seeds of seed row i of plane p (0 outside the grid).
    fn dilated_seed_row(p : u32, i : i32, x0 : u32) -> u32 {
      if (i < 0 || i >= i32(uniforms.seedH)) {
        return 0u;
      }
      let jlo = max(i32(x0) - ${bs - 1}, 0);
      let jhi = min(i32(x0) + 31, i32(uniforms.seedW) - 1);
      if (jlo > jhi) {
        return 0u;
      }
      let rowBase = (p * uniforms.seedH + u32(i)) * uniforms.seedW;
      let thrBase = ((p / uniforms.maskChannels) * uniforms.seedH + u32(i)) * uniforms.seedW;
      var bits = 0u;
      let lastBlock = (rowBase + u32(jhi)) >> 2u;
      for (var b = (rowBase + u32(jlo)) >> 2u; b <= lastBlock; b++) {
        let u = threefry4x32(vec4<u32>(b, 0u, 0u, 0u), uniforms.key, uniforms.k4) >> vec4<u32>(8u);
        for (var q = 0u; q < 4u; q++) {
          let j = bitcast<i32>(b * 4u + q - rowBase);
          let lo = max(j, i32(x0)) - i32(x0);
          let hi = min(j + ${bs - 1}, i32(x0) + 31) - i32(x0);
          let fired = j >= jlo && j <= jhi && u[q] < ${threshold};
          let covered = (0xffffffffu >> u32(31 - clamp(hi - lo, 0, 31))) << u32(clamp(lo, 0, 31));
          bits |= select(0u, covered, fired && lo <= hi);
        }
      }
      return bits;
    }

    fn main(index : i32) {
      let lid = u32(index) % ${WORKGROUP}u;
      let wg = u32(index) / ${WORKGROUP}u;
      // Seed rows band * rows - (bs - 1) .. band * rows + rows - 1 of each tile.
      for (var s = lid; s < ${slots * span}u; s += ${WORKGROUP}u) {
        let tile = wg * ${slots}u + s / ${span}u;
        var bits = 0u;
        if (tile < uniforms.tiles) {
          let band = tile % uniforms.bands;
          let rest = tile / uniforms.bands;
          let i = i32(band * ${rows}u + s % ${span}u) - ${bs - 1};
          bits = dilated_seed_row(rest / uniforms.wordsPerRow, i, (rest % uniforms.wordsPerRow) * 32u);
        }
        seedRows[s] = bits;
      }
      workgroupBarrier();
      let slot = lid / ${rows}u;
      let r = lid % ${rows}u;
      let tile = wg * ${slots}u + slot;
      var kept = 0u;
      if (tile < uniforms.tiles) {
        let band = tile % uniforms.bands;
        let rest = tile / uniforms.bands;
        let word = rest % uniforms.wordsPerRow;
        let p = rest / uniforms.wordsPerRow;
        let y = band * ${rows}u + r;
        if (y < uniforms.mapH) {
          var dropped = 0u;
          for (var k = 0u; k < ${bs}u; k++) {
            dropped |= seedRows[slot * ${span}u + r + k];
          }
          let left = uniforms.mapW - word * 32u;
          let valid = select(0xffffffffu, (1u << left) - 1u, left < 32u);
          dropped &= valid;
          atomicStore(&result[1u + (p * uniforms.mapH + y) * uniforms.wordsPerRow + word], bitcast<i32>(dropped));
          kept = countOneBits(valid & ~dropped);
        }
      }
      atomicAdd(&keptSum, kept);
      workgroupBarrier();
      if (lid == 0u) {
        let total = atomicLoad(&keptSum);
        if (total != 0u) {
          atomicAdd(&result[0], bitcast<i32>(total));
        }
      }
    }`;
  }
}
