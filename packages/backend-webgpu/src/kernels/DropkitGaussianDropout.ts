import { DropkitGaussianDropout, type GaussianDropoutAttrs } from '@dropkit/ops';
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { GaussianDropoutProgram } from '../programs/GaussianDropoutProgram.js';
import { f32Uniforms, u32Uniforms } from '../programs/webGpuProgram.js';
import { keyUniforms } from '../wgsl/threefryWgsl.js';
import { assertFloat32, asWebGpu, emptyOutput, flatView, withShape } from './kernelIo.js';

/**
 * The WebGPU kernel of {@link DropkitGaussianDropout}: out = x * (1 + stddev * z) with z the
 * normal noise of (seed, stream), one dispatch; agrees with the cpu kernel to 1e-6 relative.
 */
export const gaussianDropoutWebGpuConfig: KernelConfig = {
  kernelName: DropkitGaussianDropout,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWebGpu(b);
    const x = inputs.x as TensorInfo;
    assertFloat32('x', x);
    const a = attrs as unknown as GaussianDropoutAttrs;
    const n = util.sizeFromShape(x.shape);
    if (n === 0) return emptyOutput(backend, x.shape);
    const out = backend.runWebGPUProgram(new GaussianDropoutProgram(n), [flatView(x)], 'float32', [
      ...keyUniforms(a),
      ...u32Uniforms(n),
      ...f32Uniforms(a.stddev),
    ]);
    return withShape(out, x.shape);
  },
};
