import { KEY_UNIFORMS, THREEFRY_WGSL } from '../wgsl/threefryWgsl.js';
import {
  ELEMENTWISE_WORKGROUP,
  loadScalars,
  storeScalars,
  vec4Invocations,
  vec4Main,
} from './elementwise.js';
import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

/** How a dropout-family program turns an element and its 24-bit uniform into the output. */
export type DropoutMode = 'dropout' | 'alpha';

/**
 * The innermost broadcast group when its size is a multiple of 4 (`broadcast`: the mask repeats
 * along it, as in drop path or channels-first spatial dropout; `full`: it does not, as in
 * channels-last spatial dropout), or `other`, which takes the general path.
 */
export type InnerGroup = 'broadcast' | 'full' | 'other';

/** Broadcast dimension groups a program supports: two vec4 uniforms of sizes and strides. */
export const MAX_BROADCAST_GROUPS = 8;

const MODE_UNIFORMS: Record<DropoutMode, string> = {
  dropout: 'thr : u32, mult : f32, zero : f32,',
  alpha: 'thr : u32, ca : f32, cb : f32, alphaP : f32, zero : f32, ones : u32,',
};

// Both zeros come from a uniform, never a literal: a compiler that assumes finite values may fold
// `x * 0.0` to 0, which would turn a NaN or infinite input into a finite output.
const MODE_APPLY: Record<DropoutMode, string> = {
  dropout: `
  fn apply(x : vec4<f32>, u : vec4<u32>) -> vec4<f32> {
    return x * select(vec4<f32>(uniforms.mult), vec4<f32>(uniforms.zero), u < vec4<u32>(uniforms.thr));
  }`,
  // The AND with an all-ones uniform makes a * t an opaque, rounded value, so a * t + b cannot be
  // contracted into one FMA: the cpu reference rounds after the multiply and after the add.
  alpha: `
  fn apply(x : vec4<f32>, u : vec4<u32>) -> vec4<f32> {
    let t = select(x, x * uniforms.zero + uniforms.alphaP, u < vec4<u32>(uniforms.thr));
    let at = bitcast<vec4<f32>>(bitcast<vec4<u32>>(uniforms.ca * t) & vec4<u32>(uniforms.ones));
    return at + uniforms.cb;
  }`,
};

/**
 * Dropout and alpha dropout in one dispatch. The mask element of output element e is word
 * `m mod 4` of Threefry block `floor(m / 4)`, m = e's index into the noise tensor. Same shape
 * (m = e): each invocation owns whole blocks, 4 elements a block, vec4 loads and stores when the
 * size is a multiple of 4. Broadcast: m comes from up to 8 collapsed dimension groups (sizes and
 * mask strides in uniforms, 0 where the mask broadcasts), and each invocation computes a block
 * only when its next element's m leaves the block it has, usually once for its 4 elements.
 * Elements past the end (the last invocation of a size that is not a multiple of 4) compute
 * words that are never stored.
 */
export class DropoutProgram implements WebGpuProgram {
  variableNames = ['X'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [ELEMENTWISE_WORKGROUP, 1, 1];
  uniforms: string;
  outputComponent: number;
  variableComponents: number[];
  private readonly mode: DropoutMode;
  private readonly groups: number;
  private readonly vec4: boolean;
  private readonly inner: InnerGroup;

  /**
   * @param n - the number of elements (> 0).
   * @param mode - dropout (`x * mult` or `x * 0`) or alpha dropout.
   * @param groups - collapsed broadcast dimension groups, 0 when the mask has x's shape.
   * @param inner - the innermost group, when its size is a multiple of 4 (see {@link InnerGroup}).
   */
  constructor(n: number, mode: DropoutMode, groups: number, inner: InnerGroup = 'other') {
    this.mode = mode;
    this.groups = groups;
    this.inner = groups > 0 ? inner : 'other';
    this.vec4 = n % 4 === 0;
    this.outputShape = [n];
    this.outputComponent = this.vec4 ? 4 : 1;
    this.variableComponents = [this.outputComponent];
    this.uniforms = `${KEY_UNIFORMS} n : u32, ${MODE_UNIFORMS[mode]}${
      groups > 0 ? ' bd0 : vec4<u32>, bd1 : vec4<u32>, bs0 : vec4<u32>, bs1 : vec4<u32>,' : ''
    }`;
    this.shaderKey = `dropkit_${mode}_${this.vec4 ? 'v4' : 's'}_${groups}_${this.inner}`;
    const invocations = groups === 0 && this.vec4 ? vec4Invocations(n) : Math.ceil(n / 4);
    this.dispatch = flatDispatch(invocations, ELEMENTWISE_WORKGROUP);
  }

  getUserCode(): string {
    return `
    ${THREEFRY_WGSL}
    ${MODE_APPLY[this.mode]}
    ${this.groups > 0 ? this.maskIndexCode() : ''}
    fn main(index : i32) {
      ${this.groups === 0 ? this.sameShapeBody() : this.broadcastBody()}
    }`;
  }

  private sameShapeBody(): string {
    if (this.vec4) {
      return vec4Main({
        inputs: ['X'],
        blocks: (g) => [g],
        combine: ([x], [w]) => `apply(${x}, ${w} >> vec4<u32>(8u))`,
      });
    }
    return `
      let g = u32(index);
      let e = g * 4u;
      ${loadScalars('xv', 'X', 'e')}
      let w = threefry4x32(vec4<u32>(g, 0u, 0u, 0u), uniforms.key, uniforms.k4);
      let y = apply(xv, w >> vec4<u32>(8u));
      ${storeScalars('y', 'e')}`;
  }

  private broadcastBody(): string {
    if (this.inner !== 'other') return this.alignedBroadcastBody();
    const load = this.vec4
      ? 'let xv = X[min(g, uniforms.n / 4u - 1u)];'
      : loadScalars('xv', 'X', 'e');
    const store = this.vec4 ? 'if (e < uniforms.n) { result[g] = y; }' : storeScalars('y', 'e');
    const inner = this.groups - 1;
    const at = (v: 'd' | 's') => `uniforms.b${v}${inner >> 2}.${'xyzw'[inner & 3]}`;
    // Only the first element pays for the divisions of mask_index; the next three step the
    // innermost coordinate and redo the divisions only where it wraps. A block is generated
    // only when m leaves the current one: once per invocation in the usual layouts.
    return `
      let g = u32(index);
      let e = g * 4u;
      ${load}
      let innerSize = ${at('d')};
      var m = mask_index(e);
      var c = e % innerSize;
      var cur = m >> 2u;
      var w = threefry4x32(vec4<u32>(cur, 0u, 0u, 0u), uniforms.key, uniforms.k4);
      var u = vec4<u32>(w[m & 3u], 0u, 0u, 0u);
      for (var k = 1u; k < 4u; k++) {
        c += 1u;
        if (c == innerSize) {
          c = 0u;
          m = mask_index(e + k);
        } else {
          m += ${at('s')};
        }
        let b = m >> 2u;
        if (b != cur) {
          w = threefry4x32(vec4<u32>(b, 0u, 0u, 0u), uniforms.key, uniforms.k4);
          cur = b;
        }
        u[k] = w[m & 3u];
      }
      let y = apply(xv, u >> vec4<u32>(8u));
      ${store}`;
  }

  /**
   * The innermost group is a multiple of 4, so the 4 elements of an invocation stay in it. If it
   * broadcasts, they share one mask element; if not, its stride is 1 and every other stride a
   * multiple of its size, so m is a multiple of 4 and the elements take words 0..3 of one block.
   * One mask_index, one block, no loop.
   */
  private alignedBroadcastBody(): string {
    const words = this.inner === 'broadcast' ? 'vec4<u32>(w[m & 3u])' : 'w';
    return `
      let g = u32(index);
      let e = g * 4u;
      let xv = X[min(g, uniforms.n / 4u - 1u)];
      let m = mask_index(e);
      let w = threefry4x32(vec4<u32>(m >> 2u, 0u, 0u, 0u), uniforms.key, uniforms.k4);
      let y = apply(xv, ${words} >> vec4<u32>(8u));
      if (e < uniforms.n) { result[g] = y; }`;
  }

  /** m(e) = sum over groups of coordinate * mask stride, innermost group first. */
  private maskIndexCode(): string {
    const at = (d: number, v: 'd' | 's') => `uniforms.b${v}${d >> 2}.${'xyzw'[d & 3]}`;
    const lines = ['var q = e;', 'var m = 0u;'];
    for (let d = this.groups - 1; d >= 1; d--) {
      lines.push(`m += (q % ${at(d, 'd')}) * ${at(d, 's')};`, `q = q / ${at(d, 'd')};`);
    }
    lines.push(`m += q * ${at(0, 's')};`, 'return m;');
    return `
    fn mask_index(e : u32) -> u32 {
      ${lines.join('\n      ')}
    }`;
  }
}
