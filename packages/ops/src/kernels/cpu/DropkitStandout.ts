import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { DropkitStandout, type StandoutAttrs } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { readFloat32, writeFloat32 } from './io.js';

const TWO_24 = 16777216;

/**
 * The keep probability of standout, sigmoid(alpha * a + beta), computed in float64 from the
 * float32 pre-activation and rounded to float32 (so backends agree except where their exp rounds
 * differently right at a threshold).
 */
export function standoutKeepProbability(a: number, alpha: number, beta: number): number {
  return Math.fround(1 / (1 + Math.exp(-(alpha * a + beta))));
}

/** The reference standout: out_i = x_i where u_i < round(p_i * 2^24), else 0; no rescaling. */
export function standoutImpl(x: Float32Array, a: Float32Array, attrs: StandoutAttrs): Float32Array {
  const u = uniform24(x.length, attrs);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const p = standoutKeepProbability(a[i] as number, attrs.alpha, attrs.beta);
    out[i] = (x[i] as number) * ((u[i] as number) < Math.round(p * TWO_24) ? 1 : 0);
  }
  return out;
}

/** The cpu kernel of {@link DropkitStandout}. */
export const standoutCpuConfig: KernelConfig = {
  kernelName: DropkitStandout,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const a = inputs.a as TensorInfo;
    const out = standoutImpl(
      readFloat32(backend, x),
      readFloat32(backend, a),
      attrs as NamedAttrMap as unknown as StandoutAttrs,
    );
    return writeFloat32(backend, out, x.shape);
  },
};
