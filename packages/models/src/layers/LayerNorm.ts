import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  mean,
  mul,
  rsqrt,
  type serialization,
  square,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { registerOnce } from '../registerOnce.js';
import { firstShape, firstTensor } from './shapes.js';

/** Arguments of {@link LayerNorm}. */
export interface LayerNormArgs {
  /** Added to the variance before the square root. Default 1e-6 (timm's ViT, Mixer, ConvNeXt). */
  readonly epsilon?: number;
  /** Layer name. */
  readonly name?: string;
  /** Whether the weights are updated by `fit`. Default true. */
  readonly trainable?: boolean;
}

/**
 * Layer normalization over the last axis, `(x − mean) / sqrt(var + epsilon) · gamma + beta`, with
 * a learned per-channel `gamma` (ones) and `beta` (zeros): the same function and weights as
 * `tf.layers.layerNormalization({axis: -1})`, written with broadcasting ops. tfjs-layers tiles
 * the mean, variance, gamma and beta to the input's shape before its batch-norm kernel, and
 * tfjs-core's gradient of `tile` is one `slice` and one `add` per repetition: for ViT-Tiny at
 * batch 8 that is tens of thousands of tiny kernels per training step. Broadcasting gradients are
 * one reduction each.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { LayerNorm } from '@dropkit/models';
 * const y = new LayerNorm().apply(tf.tensor2d([[1, 2, 3], [2, 2, 2]])) as tf.Tensor;
 * const [a, b] = (await y.array()) as number[][];
 * console.log(a!.map((v) => v.toFixed(3)), b); // [ '-1.225', '0.000', '1.225' ] [ 0, 0, 0 ]
 * ```
 */
export class LayerNorm extends layers.Layer {
  /** The name tfjs serializes this class under. */
  static readonly className = 'DropkitLayerNorm';
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  private gamma: LayerVariable | undefined;
  private beta: LayerVariable | undefined;

  /** @param args - {@link LayerNormArgs}. */
  constructor(args: LayerNormArgs = {}) {
    super({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    registerOnce(LayerNorm);
    const epsilon = assertFinite('epsilon', args.epsilon ?? 1e-6);
    if (!(epsilon > 0)) throw new InvalidArgumentError('epsilon', epsilon, 'a number > 0');
    this.epsilon = epsilon;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    const channels = shape[shape.length - 1];
    if (typeof channels !== 'number') {
      throw new InvalidArgumentError('inputShape', shape, 'a shape whose last axis is known');
    }
    this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = firstTensor(inputs);
      // square(sub) rather than squaredDifference: tfjs 4.22's gradient of the latter does not
      // reduce a broadcast operand back to its shape.
      const centered = sub(x, mean(x, -1, true));
      const variance = mean(square(centered), -1, true);
      const normalized = mul(centered, rsqrt(add(variance, this.epsilon)));
      return add(
        mul(normalized, (this.gamma as LayerVariable).read()),
        (this.beta as LayerVariable).read(),
      );
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
