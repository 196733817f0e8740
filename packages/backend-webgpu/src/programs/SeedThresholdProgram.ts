import { ROUND_THRESHOLD_WGSL } from '../wgsl/mathWgsl.js';
import { flatDispatch, flatLayout, type WebGpuProgram } from './webGpuProgram.js';

const WORKGROUP = 256;

/**
 * Pass 2 of 4 of ProbDropBlock: the threshold of every seed position of every sample, one
 * workgroup per sample. S(i, j) = (sum of s over the bs x bs block at (i, j)) / bs^2; the
 * sample's mean of S comes from a tree reduction in workgroup memory; the threshold is
 * round(min(1, gamma S / mean) 2^24), or DropBlock's uniform `thr` when the mean is 0 or not
 * finite (as the reference) or when every S of the sample is equal (factor exactly 1, which
 * float32 division need not give, so a constant map keeps DropBlock's mask as the reference
 * does). S is parked in the output between the two loops; each invocation rereads only what it
 * wrote. Output: int32 holding the u32 thresholds, (n Hs + i) Ws + j.
 */
export class SeedThresholdProgram implements WebGpuProgram {
  variableNames = ['S'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = flatLayout();
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms =
    'thr : u32, gamma : f32, mapH : u32, mapW : u32, seedH : u32, seedW : u32, samples : u32,';
  private readonly bs: number;

  /**
   * @param samples - N.
   * @param seeds - Hs * Ws.
   * @param bs - the block size.
   */
  constructor(samples: number, seeds: number, bs: number) {
    this.bs = bs;
    this.outputShape = [samples * seeds];
    this.shaderKey = `dropkit_seed_threshold_${bs}`;
    this.dispatch = flatDispatch(samples * WORKGROUP, WORKGROUP);
  }

  getUserCode(): string {
    const bs = this.bs;
    return `
    ${ROUND_THRESHOLD_WGSL}
    var<workgroup> partSum : array<f32, ${WORKGROUP}>;
    var<workgroup> partMin : array<f32, ${WORKGROUP}>;
    var<workgroup> partMax : array<f32, ${WORKGROUP}>;
    fn main(index : i32) {
      let lid = u32(index) % ${WORKGROUP}u;
      let n = u32(index) / ${WORKGROUP}u;
      // Workgroups past the last sample (a dispatch folded into 2-D) loop zero times; they must
      // still reach every barrier, so they cannot simply return.
      let seeds = select(0u, uniforms.seedH * uniforms.seedW, n < uniforms.samples);
      let base = n * seeds;
      let plane = n * uniforms.mapH * uniforms.mapW;
      var sum = 0.0;
      var lo = bitcast<f32>(0x7f7fffffu);
      var hi = -bitcast<f32>(0x7f7fffffu);
      for (var k = lid; k < seeds; k += ${WORKGROUP}u) {
        let i = k / uniforms.seedW;
        let j = k % uniforms.seedW;
        var acc = 0.0;
        for (var a = 0u; a < ${bs}u; a++) {
          let row = plane + (i + a) * uniforms.mapW + j;
          for (var b = 0u; b < ${bs}u; b++) {
            acc += S[row + b];
          }
        }
        let v = acc / ${bs * bs}.0;
        result[base + k] = bitcast<i32>(v);
        sum += v;
        lo = min(lo, v);
        hi = max(hi, v);
      }
      partSum[lid] = sum;
      partMin[lid] = lo;
      partMax[lid] = hi;
      workgroupBarrier();
      for (var stride = ${WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
        if (lid < stride) {
          partSum[lid] += partSum[lid + stride];
          partMin[lid] = min(partMin[lid], partMin[lid + stride]);
          partMax[lid] = max(partMax[lid], partMax[lid + stride]);
        }
        workgroupBarrier();
      }
      let mean = partSum[0] / f32(uniforms.seedH * uniforms.seedW);
      // A bit test, not isInf / isNan, which a compiler that assumes finite floats may drop.
      let finite = (bitcast<u32>(mean) & 0x7f800000u) != 0x7f800000u;
      let salient = finite && mean > 0.0 && partMin[0] != partMax[0];
      for (var k = lid; k < seeds; k += ${WORKGROUP}u) {
        let v = bitcast<f32>(result[base + k]);
        let t = round_half_up_24(vec4<f32>(min(1.0, uniforms.gamma * (v / mean)))).x;
        result[base + k] = bitcast<i32>(select(uniforms.thr, t, salient));
      }
    }`;
  }
}
