import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { DropkitGaussianDropout } from '../kernel_names.js';

/** dx = dy * m: the same kernel on dy regenerates the noise from (seed, stream). */
export const gaussianDropoutGradConfig: GradConfig = {
  kernelName: DropkitGaussianDropout,
  inputsToSave: [],
  gradFunc: (dy, _saved, attrs) => ({
    x: () =>
      engine().runKernel(
        DropkitGaussianDropout,
        { x: dy as Tensor },
        attrs as NamedAttrMap,
      ) as Tensor,
  }),
};
