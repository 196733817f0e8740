import { EXACT_RATIO_WGSL } from '../wgsl/mathWgsl.js';
import { loadScalars, storeScalars } from './elementwise.js';
import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

const WORKGROUP = 256;

/**
 * Pass 2 of 2 of DropBlock: out = x * 0 where the mask bit of x's position (in its channel's
 * plane, or the sample's shared plane) is set, x * scale elsewhere, scale = fround(numel / kept)
 * from the count in the mask's element 0 (0 when nothing is kept). One invocation per workgroup
 * computes the scale by integer long division and shares it through workgroup memory; every
 * invocation then maps its 4 elements to (sample, channel, row, column) and reads their bits.
 */
export class DropBlockApplyProgram implements WebGpuProgram {
  variableNames = ['X', 'M'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms =
    'n : u32, numel : u32, channels : u32, mapH : u32, mapW : u32, wordsPerRow : u32, zero : f32,';
  outputComponent: number;
  variableComponents: number[];
  private readonly vec4: boolean;
  private readonly nhwc: boolean;
  private readonly perChannel: boolean;

  /**
   * @param n - the number of elements of x (> 0).
   * @param dataFormat - x's layout.
   * @param perChannel - one mask plane per channel, or one per sample.
   */
  constructor(n: number, dataFormat: 'NHWC' | 'NCHW', perChannel: boolean) {
    this.vec4 = n % 4 === 0;
    this.nhwc = dataFormat === 'NHWC';
    this.perChannel = perChannel;
    this.outputShape = [n];
    this.outputComponent = this.vec4 ? 4 : 1;
    this.variableComponents = [this.outputComponent, 1];
    this.shaderKey = `dropkit_dropblock_apply_${this.vec4 ? 'v4' : 's'}_${dataFormat}_${perChannel}`;
    this.dispatch = flatDispatch(Math.ceil(n / 4), WORKGROUP);
  }

  getUserCode(): string {
    // The first element's coordinates come from divisions; the next three step the innermost
    // one and carry with selects, so each element costs a few integer operations, no branch.
    const [order, first] = this.nhwc
      ? [
          ['c', 'col', 'row', 'n'],
          `
      let c = e % uniforms.channels;
      let pos = e / uniforms.channels;
      let col = pos % uniforms.mapW;
      let t = pos / uniforms.mapW;
      let row = t % uniforms.mapH;
      let n = t / uniforms.mapH;`,
        ]
      : [
          ['col', 'row', 'c', 'n'],
          `
      let col = e % uniforms.mapW;
      let t = e / uniforms.mapW;
      let row = t % uniforms.mapH;
      let s = t / uniforms.mapH;
      let c = s % uniforms.channels;
      let n = s / uniforms.channels;`,
        ];
    const size: Record<string, string> = {
      c: 'uniforms.channels',
      col: 'uniforms.mapW',
      row: 'uniforms.mapH',
    };
    const step = [
      `coords.${order[0]} += 1u;`,
      ...[0, 1, 2].map((i) => {
        const d = order[i] as string;
        const next = order[i + 1] as string;
        return `{ let wrap = coords.${d} == ${size[d]}; coords.${d} = select(coords.${d}, 0u, wrap); coords.${next} += select(0u, 1u, wrap); }`;
      }),
    ].join('\n          ');
    const plane = this.perChannel ? 'coords.n * uniforms.channels + coords.c' : 'coords.n';
    const load = this.vec4
      ? 'let xv = X[min(g, uniforms.n / 4u - 1u)];'
      : loadScalars('xv', 'X', 'e');
    const store = this.vec4
      ? 'if (e < uniforms.n) { result[g] = outv; }'
      : storeScalars('outv', 'e');
    return `
    ${EXACT_RATIO_WGSL}
    struct Coords { n : u32, c : u32, row : u32, col : u32 };
    var<workgroup> wgScale : f32;
    fn main(index : i32) {
      if (u32(index) % ${WORKGROUP}u == 0u) {
        let kept = bitcast<u32>(M[0]);
        wgScale = select(0.0, exact_ratio(uniforms.numel, kept), kept != 0u);
      }
      workgroupBarrier();
      let g = u32(index);
      let e = g * 4u;
      ${load}
      ${first}
      var coords = Coords(n, c, row, col);
      var dropped = vec4<bool>(false);
      for (var k = 0u; k < 4u; k++) {
        let word = 1u + ((${plane}) * uniforms.mapH + coords.row) * uniforms.wordsPerRow + (coords.col >> 5u);
        // Past the last element the coordinates run off the map; clamp the read, never stored.
        let bits = bitcast<u32>(M[min(word, arrayLength(&M) - 1u)]);
        dropped[k] = ((bits >> (coords.col & 31u)) & 1u) != 0u;
        ${step}
      }
      let outv = xv * select(vec4<f32>(wgScale), vec4<f32>(uniforms.zero), dropped);
      ${store}
    }`;
  }
}
