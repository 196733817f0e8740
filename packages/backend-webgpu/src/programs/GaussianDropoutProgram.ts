import { COS_TURNS_WGSL, LN_U1_WGSL } from '../wgsl/mathWgsl.js';
import { KEY_UNIFORMS, THREEFRY_WGSL } from '../wgsl/threefryWgsl.js';
import {
  ELEMENTWISE_WORKGROUP,
  loadScalars,
  storeScalars,
  vec4Invocations,
  vec4Main,
} from './elementwise.js';
import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

/**
 * Gaussian dropout in one dispatch: out = x * m, m = 1 + stddev * z, z by the normal layout of
 * `@dropkit/ops` (element i: block floor(i / 2), words 2(i mod 2) and 2(i mod 2) + 1 through the
 * cosine branch of Box-Muller), so four elements use two blocks. `box_muller_ln` and `cos_turns`
 * replace the builtins, whose WGSL error bounds are far looser than 1e-6.
 */
export class GaussianDropoutProgram implements WebGpuProgram {
  variableNames = ['X'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ELEMENTWISE_WORKGROUP, 1, 1];
  uniforms = `${KEY_UNIFORMS} n : u32, stddev : f32,`;
  outputComponent: number;
  variableComponents: number[];
  private readonly vec4: boolean;

  /** @param n - the number of elements (> 0). */
  constructor(n: number) {
    this.vec4 = n % 4 === 0;
    this.outputShape = [n];
    this.outputComponent = this.vec4 ? 4 : 1;
    this.variableComponents = [this.outputComponent];
    this.shaderKey = `dropkit_gaussian_${this.vec4 ? 'v4' : 's'}`;
    this.dispatch = flatDispatch(
      this.vec4 ? vec4Invocations(n) : Math.ceil(n / 4),
      ELEMENTWISE_WORKGROUP,
    );
  }

  getUserCode(): string {
    const body = this.vec4
      ? vec4Main({
          inputs: ['X'],
          blocks: (g) => [`2u * ${g}`, `2u * ${g} + 1u`],
          combine: ([x], [wa, wb]) => `${x} * gaussian_multiplier(${wa}, ${wb})`,
        })
      : `
      let e = u32(index) * 4u;
      ${loadScalars('xv', 'X', 'e')}
      let wa = threefry4x32(vec4<u32>(u32(index) * 2u, 0u, 0u, 0u), uniforms.key, uniforms.k4);
      let wb = threefry4x32(vec4<u32>(u32(index) * 2u + 1u, 0u, 0u, 0u), uniforms.key, uniforms.k4);
      let y = xv * gaussian_multiplier(wa, wb);
      ${storeScalars('y', 'e')}`;
    return `
    ${THREEFRY_WGSL}
    ${LN_U1_WGSL}
    ${COS_TURNS_WGSL}
    // Elements 4g..4g+3 take words (0, 1) and (2, 3) of block 2g, then of block 2g + 1.
    fn gaussian_multiplier(wa : vec4<u32>, wb : vec4<u32>) -> vec4<f32> {
      let a = vec4<u32>(wa.x, wa.z, wb.x, wb.z);
      let b = vec4<u32>(wa.y, wa.w, wb.y, wb.w);
      let z = sqrt(-2.0 * box_muller_ln(a)) * cos_turns(b >> vec4<u32>(8u));
      // One rounding for 1 + s * z where the hardware fuses, as the float64 reference has.
      return fma(vec4<f32>(uniforms.stddev), z, vec4<f32>(1.0));
    }
    fn main(index : i32) {
      ${body}
    }`;
  }
}
