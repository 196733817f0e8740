import { alphaDropout as alphaDropoutOp } from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import type { DropoutArgs } from './Dropout.js';
import { DropoutLayer } from './DropoutLayer.js';
import { checkNoiseShape, optionalEntry } from './layerUtils.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link AlphaDropout}: a rate, a seed and an optional Keras noise shape. */
export type AlphaDropoutArgs = DropoutArgs;

/**
 * Alpha dropout (Klambauer et al. 2017) for SELU networks, with a mutable rate: in training
 * dropped units are set to SELU's negative saturation -alpha * scale and the result is
 * corrected by out = a * value + b so that standardized inputs keep mean 0 and variance 1
 * (the Keras / PyTorch formula; tfjs-layers 4.22's `AlphaDropout` sets dropped units to the
 * wrong sign and its output mean drifts). Identity in inference.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { AlphaDropout } from '@dropkit/layers';
 * const x = tf.randomNormal([20000], 0, 1, 'float32', 5);
 * const y = new AlphaDropout({ rate: 0.3, seed: 1 }).apply(x, { training: true }) as tf.Tensor;
 * console.log(Math.abs(tf.mean(y).dataSync()[0] ?? 1) < 0.05); // true
 * ```
 */
export class AlphaDropout extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitAlphaDropout';
  readonly dropoutSite = 'dropout' as const;
  /** The mask shape given at construction, if any. */
  readonly noiseShape: (number | null)[] | undefined;

  /**
   * @param args - {@link AlphaDropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or a malformed noise shape.
   */
  constructor(args: AlphaDropoutArgs) {
    super(registered(args));
    this.noiseShape = checkNoiseShape(args.noiseShape);
  }

  protected override applyNoise(x: Tensor): Tensor {
    return alphaDropoutOp(x, {
      rate: this.rate,
      ...(this.noiseShape ? { noiseShape: this.noiseShape } : {}),
      ...this.seedOption(),
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...optionalEntry('noiseShape', this.noiseShape), ...super.getConfig() };
  }
}

/**
 * Makes an {@link AlphaDropout} layer.
 *
 * @param args - {@link AlphaDropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { alphaDropout } from '@dropkit/layers';
 * console.log(alphaDropout({ rate: 0.1 }).getClassName()); // DropkitAlphaDropout
 * ```
 */
export function alphaDropout(args: AlphaDropoutArgs): AlphaDropout {
  return new AlphaDropout(args);
}
