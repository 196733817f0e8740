import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import {
  type AlphaDropoutAttrs,
  DropkitAlphaDropout,
  DropkitDropout,
  type DropoutAttrs,
} from '../kernel_names.js';

/**
 * dx = dy * a * keep: exactly the dropout kernel on dy with scale a and the same mask, so the
 * mask is regenerated, never kept.
 */
export const alphaDropoutGradConfig: GradConfig = {
  kernelName: DropkitAlphaDropout,
  inputsToSave: [],
  gradFunc: (dy, _saved, attrs) => {
    const { threshold, a, noiseShape, seedLo, seedHi, streamLo, streamHi } =
      attrs as unknown as AlphaDropoutAttrs;
    const dropoutAttrs: DropoutAttrs = {
      threshold,
      scale: a,
      noiseShape,
      seedLo,
      seedHi,
      streamLo,
      streamHi,
    };
    return {
      x: () =>
        engine().runKernel(
          DropkitDropout,
          { x: dy as Tensor },
          dropoutAttrs as unknown as NamedAttrMap,
        ) as Tensor,
    };
  },
};
