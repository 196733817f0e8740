import { InvalidArgumentError } from '@dropkit/core';
import { DropkitStandout, type StandoutAttrs } from '@dropkit/ops';
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { StandoutProgram } from '../programs/StandoutProgram.js';
import { f32Uniforms, u32Uniforms } from '../programs/webGpuProgram.js';
import { keyUniforms } from '../wgsl/threefryWgsl.js';
import { assertFloat32, asWebGpu, emptyOutput, flatView, withShape } from './kernelIo.js';

/**
 * The WebGPU kernel of {@link DropkitStandout}: x kept where the 24-bit uniform is below
 * round(sigmoid(alpha a + beta) 2^24), else x * 0, one dispatch (the gradient reruns it on dy
 * with the saved a).
 */
export const standoutWebGpuConfig: KernelConfig = {
  kernelName: DropkitStandout,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend: b, attrs }) => {
    const backend = asWebGpu(b);
    const x = inputs.x as TensorInfo;
    const pre = inputs.a as TensorInfo;
    assertFloat32('x', x);
    assertFloat32('a', pre);
    if (!util.arraysEqual(x.shape, pre.shape)) {
      throw new InvalidArgumentError('a.shape', pre.shape, `x's shape [${x.shape}]`);
    }
    const a = attrs as unknown as StandoutAttrs;
    const n = util.sizeFromShape(x.shape);
    if (n === 0) return emptyOutput(backend, x.shape);
    const out = backend.runWebGPUProgram(
      new StandoutProgram(n),
      [flatView(x), flatView(pre)],
      'float32',
      [...keyUniforms(a), ...u32Uniforms(n), ...f32Uniforms(a.alpha, a.beta, 0)],
    );
    return withShape(out, x.shape);
  },
};
