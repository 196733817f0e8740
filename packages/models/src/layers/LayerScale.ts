import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import { mul, type serialization, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { registerOnce } from '../registerOnce.js';
import { firstShape, firstTensor } from './shapes.js';

/** Arguments of {@link LayerScale}. */
export interface LayerScaleArgs {
  /** Initial value of every per-channel scale. Default 1e-6 (ConvNeXt). */
  readonly initValue?: number;
  /** Layer name. */
  readonly name?: string;
  /** Whether the weights are updated by `fit`. Default true. */
  readonly trainable?: boolean;
}

/**
 * Layer scale (CaiT, ConvNeXt): multiplies the last axis by a learned per-channel vector `gamma`,
 * initialized small so a residual branch starts close to the identity.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LayerScale } from '@dropkit/models';
 * const y = new LayerScale({ initValue: 0.5 }).apply(tf.ones([1, 3])) as tf.Tensor;
 * console.log(Array.from(y.dataSync())); // [ 0.5, 0.5, 0.5 ]
 * ```
 */
export class LayerScale extends layers.Layer {
  /** The name tfjs serializes this class under. */
  static readonly className = 'DropkitLayerScale';
  /** Initial value of the scales. */
  readonly initValue: number;
  private gamma: LayerVariable | undefined;

  /** @param args - {@link LayerScaleArgs}. */
  constructor(args: LayerScaleArgs = {}) {
    super({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    registerOnce(LayerScale);
    this.initValue = assertFinite('initValue', args.initValue ?? 1e-6);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') {
      throw new InvalidArgumentError('inputShape', shape, 'a shape whose last axis is known');
    }
    this.gamma = this.addWeight(
      'gamma',
      [channels],
      'float32',
      initializers.constant({ value: this.initValue }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = firstTensor(inputs);
      return mul(x, (this.gamma as LayerVariable).read());
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), initValue: this.initValue };
  }
}
