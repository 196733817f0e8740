import { DropkitDropout, type DropoutAttrs, type SeedAttrs } from '@dropkit/ops';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { type DropoutMode, DropoutProgram, type InnerGroup } from '../programs/DropoutProgram.js';
import { f32Uniforms, type ProgramUniform, u32Uniforms } from '../programs/webGpuProgram.js';
import { keyUniforms } from '../wgsl/threefryWgsl.js';
import {
  assertFloat32,
  asWebGpu,
  type BroadcastGroups,
  broadcastUniforms,
  collapseBroadcast,
  emptyOutput,
  flatView,
  withShape,
} from './kernelIo.js';

/** Whether the innermost group lets an invocation's 4 elements share one Threefry block. */
function innerGroup(groups: BroadcastGroups): InnerGroup {
  const last = groups.dims.length - 1;
  if ((groups.dims[last] as number) % 4 !== 0) return 'other';
  return groups.strides[last] === 0 ? 'broadcast' : 'full';
}

/**
 * Runs the dropout-family program on x with a mask over `noiseShape` drawn from `key`; the
 * mode's uniforms go between the element count and the broadcast groups, as the program declares.
 */
export function runDropoutProgram(
  backend: WebGPUBackend,
  x: TensorInfo,
  key: SeedAttrs,
  noiseShape: readonly number[],
  mode: DropoutMode,
  modeUniforms: readonly ProgramUniform[],
): TensorInfo {
  assertFloat32('x', x);
  const n = util.sizeFromShape(x.shape);
  const groups = collapseBroadcast(x.shape, noiseShape);
  if (n === 0) return emptyOutput(backend, x.shape);
  const program = new DropoutProgram(
    n,
    mode,
    groups ? groups.dims.length : 0,
    groups ? innerGroup(groups) : 'other',
  );
  const uniforms: ProgramUniform[] = [
    ...keyUniforms(key),
    ...u32Uniforms(n),
    ...modeUniforms,
    ...(groups ? broadcastUniforms(groups) : []),
  ];
  const out = backend.runWebGPUProgram(program, [flatView(x)], 'float32', uniforms);
  return withShape(out, x.shape);
}

/**
 * The WebGPU kernel of {@link DropkitDropout}: x * scale where kept, x * 0 where the 24-bit
 * uniform is below the threshold, in one dispatch (the gradient reruns it on dy).
 */
export const dropoutWebGpuConfig: KernelConfig = {
  kernelName: DropkitDropout,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as DropoutAttrs;
    return runDropoutProgram(
      asWebGpu(backend),
      inputs.x as TensorInfo,
      a,
      a.noiseShape,
      'dropout',
      [...u32Uniforms(a.threshold), ...f32Uniforms(a.scale, 0)],
    );
  },
};
