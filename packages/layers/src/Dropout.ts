import { dropout as dropoutOp } from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { checkNoiseShape, optionalEntry } from './layerUtils.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link Dropout} and {@link MCDropout}. */
export interface DropoutArgs extends DropoutLayerArgs {
  /**
   * The shape of the mask, broadcast against the input (Keras `noise_shape`): one entry per input
   * axis, each 1, null (the input's size there, e.g. the batch) or the input's size.
   */
  noiseShape?: (number | null)[];
}

/**
 * Inverted dropout as a tfjs-layers layer with a mutable rate: in training each element is
 * zeroed with probability `rate` and the rest scaled by 1 / (1 - rate) (`dropout` from
 * `@dropkit/ops`, Threefry masks, mask-free gradient); in inference it is the identity. Unlike
 * `tf.layers.dropout`, whose `rate` is readonly and whose seed repeats one mask every step, the
 * rate can be scheduled and a seed gives a new, reproducible mask per step.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Dropout } from '@dropkit/layers';
 * const layer = new Dropout({ rate: 0.5, seed: 1 });
 * const y = layer.apply(tf.ones([2, 4]), { training: true }) as tf.Tensor;
 * console.log(y.dataSync().every((v) => v === 0 || v === 2)); // true
 * layer.rate = 0.1; // takes effect on the next call
 * console.log(layer.getConfig().rate); // 0.1
 * ```
 */
export class Dropout extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitDropout';
  readonly dropoutSite = 'dropout' as const;
  /** The mask shape given at construction, if any. */
  readonly noiseShape: (number | null)[] | undefined;

  /**
   * @param args - {@link DropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or a malformed noise shape.
   */
  constructor(args: DropoutArgs) {
    super(registered(args));
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
 * Makes a {@link Dropout} layer.
 *
 * @param args - {@link DropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { dropout } from '@dropkit/layers';
 * const model = tfl.sequential({
 *   layers: [tfl.layers.dense({ units: 8, inputShape: [4] }), dropout({ rate: 0.2 })],
 * });
 * console.log(model.layers[1]?.getClassName()); // DropkitDropout
 * ```
 */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
