import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { DropkitDropBlock, DropkitProbDropBlock } from '../kernel_names.js';

/** DropBlock is linear in x with a mask that depends only on (seed, stream): rerun it on dy. */
export const dropBlockGradConfig: GradConfig = {
  kernelName: DropkitDropBlock,
  inputsToSave: [],
  gradFunc: (dy, _saved, attrs) => ({
    x: () =>
      engine().runKernel(DropkitDropBlock, { x: dy as Tensor }, attrs as NamedAttrMap) as Tensor,
  }),
};

/**
 * ProbDropBlock's mask also depends on the input's salience, so the input is saved (it is the
 * input, not a mask) and the kernel reruns on dy with the saved input as its guide. The mask is
 * treated as constant, so no gradient flows through the salience.
 */
export const probDropBlockGradConfig: GradConfig = {
  kernelName: DropkitProbDropBlock,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const guide = saved[0] as Tensor;
    return {
      x: () =>
        engine().runKernel(
          DropkitProbDropBlock,
          { x: dy as Tensor, guide },
          attrs as NamedAttrMap,
        ) as Tensor,
    };
  },
};
