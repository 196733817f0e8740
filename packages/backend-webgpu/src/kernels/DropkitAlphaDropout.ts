import { type AlphaDropoutAttrs, DropkitAlphaDropout } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { f32Uniforms, u32Uniforms } from '../programs/webGpuProgram.js';
import { runDropoutProgram } from './DropkitDropout.js';
import { asWebGpu } from './kernelIo.js';

/**
 * The WebGPU kernel of {@link DropkitAlphaDropout}: dropout's mask, then
 * `fround(fround(a * t) + b)` with t = x where kept and `x * 0 + alphaP` where dropped, one
 * dispatch; the multiply is kept out of any FMA, so outputs match the cpu kernel bit for bit.
 */
export const alphaDropoutWebGpuConfig: KernelConfig = {
  kernelName: DropkitAlphaDropout,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as AlphaDropoutAttrs;
    return runDropoutProgram(asWebGpu(backend), inputs.x as TensorInfo, a, a.noiseShape, 'alpha', [
      ...u32Uniforms(a.threshold),
      ...f32Uniforms(a.a, a.b, a.alphaP, 0),
      ...u32Uniforms(0xffffffff),
    ]);
  },
};
