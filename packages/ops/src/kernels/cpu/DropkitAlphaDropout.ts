import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type AlphaDropoutAttrs, DropkitAlphaDropout } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { broadcastMultiply } from './DropkitDropout.js';
import { readFloat32, writeFloat32 } from './io.js';

/**
 * The reference alpha dropout: out = a * x + b where kept, a * alphaP + b where dropped, in
 * float32 (a, b and alphaP rounded to float32 first), with the mask over `noiseShape` drawn as in
 * dropout (dropped iff u < threshold).
 */
export function alphaDropoutImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: AlphaDropoutAttrs,
): Float32Array {
  const a = Math.fround(attrs.a);
  const b = Math.fround(attrs.b);
  const droppedValue = Math.fround(Math.fround(a * Math.fround(attrs.alphaP)) + b);
  const count = attrs.noiseShape.reduce((p, d) => p * d, 1);
  const u = uniform24(count, attrs);
  // keep[j] as 1/0, broadcast over x.
  const keepMask = new Float32Array(count);
  for (let j = 0; j < count; j++) keepMask[j] = (u[j] as number) < attrs.threshold ? 0 : 1;
  const keep = new Float32Array(x.length);
  broadcastMultiply(new Float32Array(x.length).fill(1), shape, keepMask, attrs.noiseShape, keep);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = keep[i] === 1 ? Math.fround(a * (x[i] as number)) + b : droppedValue;
  }
  return out;
}

/** The cpu kernel of {@link DropkitAlphaDropout}. */
export const alphaDropoutCpuConfig: KernelConfig = {
  kernelName: DropkitAlphaDropout,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const out = alphaDropoutImpl(
      readFloat32(backend, x),
      x.shape,
      attrs as NamedAttrMap as unknown as AlphaDropoutAttrs,
    );
    return writeFloat32(backend, out, x.shape);
  },
};
