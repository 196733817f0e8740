import { gaussianDropout as gaussianDropoutOp } from '@dropkit/ops';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link GaussianDropout}. */
export type GaussianDropoutArgs = DropoutLayerArgs;

/**
 * Gaussian dropout (Srivastava et al. 2014; Keras and tfjs `GaussianDropout`) with a mutable
 * rate: in training each element is multiplied by 1 + sqrt(rate / (1 - rate)) * z, z standard
 * normal, so the expected output is the input; identity in inference.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { GaussianDropout } from '@dropkit/layers';
 * const y = new GaussianDropout({ rate: 0.2, seed: 1 }).apply(tf.ones([4000]), { training: true }) as tf.Tensor;
 * console.log(Math.abs((tf.mean(y).dataSync()[0] ?? 0) - 1) < 0.05); // true
 * ```
 */
export class GaussianDropout extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitGaussianDropout';
  readonly dropoutSite = 'dropout' as const;

  /**
   * @param args - {@link GaussianDropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1) or a bad seed.
   */
  constructor(args: GaussianDropoutArgs) {
    super(registered(args));
  }

  protected override applyNoise(x: Tensor): Tensor {
    return gaussianDropoutOp(x, { rate: this.rate, ...this.seedOption() });
  }
}

/**
 * Makes a {@link GaussianDropout} layer.
 *
 * @param args - {@link GaussianDropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { gaussianDropout } from '@dropkit/layers';
 * console.log(gaussianDropout({ rate: 0.3 }).getClassName()); // DropkitGaussianDropout
 * ```
 */
export function gaussianDropout(args: GaussianDropoutArgs): GaussianDropout {
  return new GaussianDropout(args);
}
