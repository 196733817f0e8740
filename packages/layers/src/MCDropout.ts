import { dropout as dropoutOp } from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import type { DropoutArgs } from './Dropout.js';
import { DropoutLayer } from './DropoutLayer.js';
import { checkNoiseShape, optionalEntry } from './layerUtils.js';
import { registered } from './registerLayers.js';

/**
 * Monte Carlo dropout (Gal & Ghahramani 2016): inverted dropout that stays on at inference, so
 * repeated `predict` calls sample the model's predictive distribution (average them for the
 * mean, their spread for the uncertainty). Each call draws a new mask; with a seed the sequence
 * of masks is reproducible. Set `rate` to 0 to turn it off.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MCDropout } from '@dropkit/layers';
 * const layer = new MCDropout({ rate: 0.5, seed: 3 });
 * const a = layer.apply(tf.ones([64])) as tf.Tensor; // no training flag: still dropped
 * const b = layer.apply(tf.ones([64])) as tf.Tensor;
 * console.log(a.dataSync().some((v) => v === 0), tf.all(tf.equal(a, b)).dataSync()[0]); // true 0
 * ```
 */
export class MCDropout extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitMCDropout';
  readonly dropoutSite = 'dropout' as const;
  /** The mask shape given at construction, if any. */
  readonly noiseShape: (number | null)[] | undefined;

  /**
   * @param args - {@link DropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or a malformed noise shape.
   */
  constructor(args: DropoutArgs) {
    super(registered(args), { alwaysOn: true });
    this.noiseShape = checkNoiseShape(args.noiseShape);
  }

  protected override applyNoise(x: Tensor): Tensor {
    return dropoutOp(x, {
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
 * Makes an {@link MCDropout} layer.
 *
 * @param args - {@link DropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { mcDropout } from '@dropkit/layers';
 * console.log(mcDropout({ rate: 0.1 }).dropoutSite); // dropout
 * ```
 */
export function mcDropout(args: DropoutArgs): MCDropout {
  return new MCDropout(args);
}
