import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { DropkitDropout } from '../kernel_names.js';

/**
 * dx = dy * m: the same kernel run on dy with the same (seed, stream) regenerates the mask, so
 * nothing is kept between the forward and the backward pass.
 */
export const dropoutGradConfig: GradConfig = {
  kernelName: DropkitDropout,
  inputsToSave: [],
  gradFunc: (dy, _saved, attrs) => ({
    x: () =>
      engine().runKernel(DropkitDropout, { x: dy as Tensor }, attrs as NamedAttrMap) as Tensor,
  }),
};
