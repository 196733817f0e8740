import {
  engine,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
  zerosLike,
} from '@tensorflow/tfjs-core';
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
 * ProbDropBlock's mask also depends on the guide (the input's salience), which is saved (it is
 * the input, not a mask): rerun the kernel on dy with the saved guide; the guide's gradient is 0
 * (the mask is treated as constant).
 */
export const probDropBlockGradConfig: GradConfig = {
  kernelName: DropkitProbDropBlock,
  inputsToSave: ['guide'],
  gradFunc: (dy, saved, attrs) => {
    const guide = saved[0] as Tensor;
    return {
      x: () =>
        engine().runKernel(
          DropkitProbDropBlock,
          { x: dy as Tensor, guide },
          attrs as NamedAttrMap,
        ) as Tensor,
      guide: () => zerosLike(guide),
    };
  },
};
