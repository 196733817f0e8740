import { InvalidArgumentError } from '@dropkit/core';
import { reshape, type serialization, slice, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { registerOnce } from '../registerOnce.js';
import { firstShape, firstTensor } from './shapes.js';

/** Arguments of {@link ClassTokenPooling}. */
export interface ClassTokenPoolingArgs {
  /** Layer name. */
  readonly name?: string;
}

/**
 * Pools a token sequence `[batch, tokens, width]` to its first token `[batch, width]`, the class
 * token of a ViT (timm's `global_pool='token'`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ClassTokenPooling } from '@dropkit/models';
 * const y = new ClassTokenPooling().apply(tf.tensor3d([[[1, 2], [3, 4]]])) as tf.Tensor;
 * console.log(y.arraySync()); // [ [ 1, 2 ] ]
 * ```
 */
export class ClassTokenPooling extends layers.Layer {
  /** The name tfjs serializes this class under. */
  static readonly className = 'DropkitClassTokenPooling';

  /** @param args - {@link ClassTokenPoolingArgs}. */
  constructor(args: ClassTokenPoolingArgs = {}) {
    super(args.name === undefined ? {} : { name: args.name });
    registerOnce(ClassTokenPooling);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = firstShape(inputShape);
    if (shape.length !== 3) {
      throw new InvalidArgumentError('inputShape', shape, 'a [batch, tokens, width] shape');
    }
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() => {
      const x = firstTensor(inputs);
      const [batch, , width] = x.shape as [number, number, number];
      return reshape(slice(x, [0, 0, 0], [batch, 1, width]), [batch, width]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return super.getConfig();
  }
}
