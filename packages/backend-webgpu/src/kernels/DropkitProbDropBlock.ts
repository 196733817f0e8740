import { type DropBlockAttrs, DropkitProbDropBlock } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { runDropBlock } from './DropkitDropBlock.js';
import { asWebGpu } from './kernelIo.js';

/**
 * The WebGPU kernel of {@link DropkitProbDropBlock}: salience, seed thresholds, mask, apply.
 * The guide is x itself in the forward pass and the saved input when the gradient runs it on dy.
 */
export const probDropBlockWebGpuConfig: KernelConfig = {
  kernelName: DropkitProbDropBlock,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const guide = (inputs.guide as TensorInfo | undefined) ?? x;
    return runDropBlock(asWebGpu(backend), x, guide, attrs as unknown as DropBlockAttrs);
  },
};
