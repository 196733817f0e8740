import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '../../kernel_names.js';
import { normalNoise } from '../../rng/noise.js';
import { readFloat32, writeFloat32 } from './io.js';

/**
 * The multipliers of Gaussian dropout, m_i = fround(1 + stddev * z_i) with z from the normal
 * layout of threefry.ts and stddev rounded to float32; shared by the kernel and the composed path.
 */
export function gaussianMultipliers(count: number, attrs: GaussianDropoutAttrs): Float32Array {
  const z = normalNoise(count, attrs);
  const s = Math.fround(attrs.stddev);
  const m = new Float32Array(count);
  for (let i = 0; i < count; i++) m[i] = 1 + s * (z[i] as number);
  return m;
}

/** The reference Gaussian dropout: out = x * m, in float32. */
export function gaussianDropoutImpl(x: Float32Array, attrs: GaussianDropoutAttrs): Float32Array {
  const m = gaussianMultipliers(x.length, attrs);
  for (let i = 0; i < m.length; i++) m[i] = (x[i] as number) * (m[i] as number);
  return m;
}

/** The cpu kernel of {@link DropkitGaussianDropout}. */
export const gaussianDropoutCpuConfig: KernelConfig = {
  kernelName: DropkitGaussianDropout,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const out = gaussianDropoutImpl(
      readFloat32(backend, x),
      attrs as NamedAttrMap as unknown as GaussianDropoutAttrs,
    );
    return writeFloat32(backend, out, x.shape);
  },
};
