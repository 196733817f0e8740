import { type DropBlockAttrs, DropkitProbDropBlock } from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from '../wasmHeap.js';
import { runDropBlock } from './DropkitDropBlock.js';

/**
 * The wasm kernel of {@link DropkitProbDropBlock}: the guide is x in the forward pass; the
 * backward pass passes dy as x and the saved input as the guide.
 */
export const probDropBlockWasmConfig: KernelConfig = {
  kernelName: DropkitProbDropBlock,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const guide = (inputs.guide as TensorInfo | undefined) ?? x;
    return runDropBlock(
      backend as unknown as WasmHeapBackend,
      x,
      guide,
      attrs as unknown as DropBlockAttrs,
    );
  },
};
