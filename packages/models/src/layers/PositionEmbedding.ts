import { InvalidArgumentError } from '@dropkit/core';
import {
  add,
  concat,
  reshape,
  type serialization,
  type Tensor,
  tidy,
  tile,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { registerOnce } from '../registerOnce.js';
import { firstShape, firstTensor } from './shapes.js';

/** Arguments of {@link PositionEmbedding}. */
export interface PositionEmbeddingArgs {
  /** Prepend a learned class token before adding the position embeddings. Default false. */
  readonly classToken?: boolean;
  /** Layer name. */
  readonly name?: string;
  /** Whether the weights are updated by `fit`. Default true. */
  readonly trainable?: boolean;
}

/**
 * Learned position embeddings for a token sequence `[batch, tokens, width]`, optionally after
 * prepending a learned class token (timm's ViT `cls_token` + `pos_embed`): the output has
 * `tokens + 1` tokens with a class token, `tokens` without.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { PositionEmbedding } from '@dropkit/models';
 * const embed = new PositionEmbedding({ classToken: true });
 * const y = embed.apply(tf.zeros([2, 4, 8])) as tf.Tensor;
 * console.log(y.shape, embed.countParams()); // [ 2, 5, 8 ] 48
 * ```
 */
export class PositionEmbedding extends layers.Layer {
  /** The name tfjs serializes this class under. */
  static readonly className = 'DropkitPositionEmbedding';
  /** Whether a class token is prepended. */
  readonly classToken: boolean;
  private position: LayerVariable | undefined;
  private token: LayerVariable | undefined;

  /** @param args - {@link PositionEmbeddingArgs}. */
  constructor(args: PositionEmbeddingArgs = {}) {
    super({
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(args.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    registerOnce(PositionEmbedding);
    this.classToken = args.classToken ?? false;
    if (typeof this.classToken !== 'boolean') {
      throw new InvalidArgumentError('classToken', args.classToken, 'a boolean');
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    const [, tokens, width] = shape;
    if (shape.length !== 3 || typeof tokens !== 'number' || typeof width !== 'number') {
      throw new InvalidArgumentError(
        'inputShape',
        shape,
        'a [batch, tokens, width] shape with known tokens and width',
      );
    }
    const total = tokens + (this.classToken ? 1 : 0);
    // timm: pos_embed ~ trunc_normal(std=0.02), cls_token ~ normal(std=1e-6).
    this.position = this.addWeight(
      'position',
      [total, width],
      'float32',
      initializers.truncatedNormal({ stddev: 0.02 }),
    );
    if (this.classToken) {
      this.token = this.addWeight(
        'class_token',
        [width],
        'float32',
        initializers.randomNormal({ stddev: 1e-6 }),
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, tokens, width] = firstShape(inputShape);
    const total = tokens == null ? null : tokens + (this.classToken ? 1 : 0);
    return [batch ?? null, total, width ?? null];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      let x = firstTensor(inputs);
      const [batch, , width] = x.shape as [number, number, number];
      if (this.token) {
        const token = tile(reshape(this.token.read(), [1, 1, width]), [batch, 1, 1]);
        x = concat([token, x], 1);
      }
      return add(x, (this.position as LayerVariable).read());
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), classToken: this.classToken };
  }
}
