import { ROUND_THRESHOLD_WGSL } from '../wgsl/mathWgsl.js';
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
 * Standout in one dispatch: element i is kept iff its 24-bit uniform (the uniform layout, one
 * block per 4 elements) is below round(p_i 2^24), p_i = sigmoid(alpha a_i + beta) in float32
 * (the reference rounds a float64 sigmoid, so thresholds can differ by a unit or two and masks
 * only where u lands exactly there); a NaN pre-activation drops, as in the reference.
 */
export class StandoutProgram implements WebGpuProgram {
  variableNames = ['X', 'A'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ELEMENTWISE_WORKGROUP, 1, 1];
  uniforms = `${KEY_UNIFORMS} n : u32, alpha : f32, beta : f32, zero : f32,`;
  outputComponent: number;
  variableComponents: number[];
  private readonly vec4: boolean;

  /** @param n - the number of elements (> 0). */
  constructor(n: number) {
    this.vec4 = n % 4 === 0;
    this.outputShape = [n];
    this.outputComponent = this.vec4 ? 4 : 1;
    this.variableComponents = [this.outputComponent, this.outputComponent];
    this.shaderKey = `dropkit_standout_${this.vec4 ? 'v4' : 's'}`;
    this.dispatch = flatDispatch(
      this.vec4 ? vec4Invocations(n) : Math.ceil(n / 4),
      ELEMENTWISE_WORKGROUP,
    );
  }

  getUserCode(): string {
    const body = this.vec4
      ? vec4Main({
          inputs: ['X', 'A'],
          blocks: (g) => [g],
          combine: ([x, a], [w]) => `standout(${x}, ${a}, ${w} >> vec4<u32>(8u))`,
        })
      : `
      let e = u32(index) * 4u;
      ${loadScalars('xv', 'X', 'e')}
      ${loadScalars('av', 'A', 'e')}
      let w = threefry4x32(vec4<u32>(u32(index), 0u, 0u, 0u), uniforms.key, uniforms.k4);
      let y = standout(xv, av, w >> vec4<u32>(8u));
      ${storeScalars('y', 'e')}`;
    return `
    ${THREEFRY_WGSL}
    ${ROUND_THRESHOLD_WGSL}
    fn standout(x : vec4<f32>, a : vec4<f32>, u : vec4<u32>) -> vec4<f32> {
      let z = uniforms.alpha * a + uniforms.beta;
      let p = 1.0 / (1.0 + exp(-z));
      let keep = (u < round_half_up_24(p)) & !isnanVec4(z);
      return x * select(vec4<f32>(uniforms.zero), vec4<f32>(1.0), keep);
    }
    fn main(index : i32) {
      ${body}
    }`;
  }
}
