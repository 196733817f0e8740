import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

const WORKGROUP = 256;

/**
 * Pass 1 of 4 of ProbDropBlock: the salience of each position, s(n, y, x) = (sum over channels
 * of |guide|) / C, as float32 in (n, y, x) order, one invocation per position. The cpu reference
 * sums in float64; the float32 sum differs in the last bits, which moves a seed's threshold only
 * by a unit or so.
 */
export class SalienceProgram implements WebGpuProgram {
  variableNames = ['G'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = 'positions : u32, channels : u32, mapHW : u32,';
  private readonly nhwc: boolean;

  /**
   * @param positions - N * H * W.
   * @param dataFormat - the guide's layout.
   */
  constructor(positions: number, dataFormat: 'NHWC' | 'NCHW') {
    this.nhwc = dataFormat === 'NHWC';
    this.outputShape = [positions];
    this.shaderKey = `dropkit_salience_${dataFormat}`;
    this.dispatch = flatDispatch(positions, WORKGROUP);
  }

  getUserCode(): string {
    const [base, step] = this.nhwc
      ? ['pos * uniforms.channels', '1u']
      : [
          '(pos / uniforms.mapHW) * uniforms.channels * uniforms.mapHW + pos % uniforms.mapHW',
          'uniforms.mapHW',
        ];
    return `
    fn main(index : i32) {
      let pos = u32(index);
      if (pos < uniforms.positions) {
        let base = ${base};
        var acc = 0.0;
        for (var k = 0u; k < uniforms.channels; k++) {
          acc += abs(G[base + k * ${step}]);
        }
        result[pos] = acc / f32(uniforms.channels);
      }
    }`;
  }
}
