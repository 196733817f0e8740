import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import { Dropout, type DropoutSiteContainer, type Kwargs } from '@dropkit/layers';
import {
  add,
  matMul,
  mul,
  reshape,
  type serialization,
  softmax,
  type Tensor,
  tidy,
  transpose,
  unstack,
} from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable, layers, type Shape } from '@tensorflow/tfjs-layers';
import { rate as checkRate } from '../arguments.js';
import { registerOnce } from '../registerOnce.js';
import { firstShape, firstTensor } from './shapes.js';

/** Arguments of {@link MultiHeadSelfAttention}. */
export interface MultiHeadSelfAttentionArgs {
  /** Number of heads; the token width must be divisible by it. */
  readonly numHeads: number;
  /** Dropout rate on the attention probabilities, in [0, 1). Default 0. */
  readonly attentionDropout?: number;
  /** Name of the inner attention-dropout layer. Default `<name>_drop`. */
  readonly attentionDropoutName?: string;
  /** Add a bias to the query, key and value projections (timm's `qkv_bias`). Default true. */
  readonly qkvBias?: boolean;
  /** Seed of the attention dropout (a new mask every call, reproducibly). */
  readonly seed?: number;
  /** Layer name. */
  readonly name?: string;
  /** Whether the weights are updated by `fit`. Default true. */
  readonly trainable?: boolean;
}

/**
 * Multi-head self-attention over tokens `[batch, tokens, width]`, as timm's ViT `Attention`: one
 * fused query/key/value projection, softmax(q k^T / sqrt(headDim)) with dropout on the
 * probabilities, and an output projection. The attention dropout is a `@dropkit/layers` `Dropout`
 * held in `attentionDrop` and exposed through `dropoutSites()`, so `applyRates` and
 * `DropoutScheduler` reach it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { MultiHeadSelfAttention } from '@dropkit/models';
 * const attn = new MultiHeadSelfAttention({ numHeads: 2, attentionDropout: 0.1, name: 'attn' });
 * const y = attn.apply(tf.ones([1, 3, 4])) as tf.Tensor;
 * console.log(y.shape, attn.dropoutSites()[0].name); // [ 1, 3, 4 ] attn_drop
 * ```
 */
export class MultiHeadSelfAttention extends layers.Layer implements DropoutSiteContainer {
  /** The name tfjs serializes this class under. */
  static readonly className = 'DropkitMultiHeadSelfAttention';
  /** Number of heads. */
  readonly numHeads: number;
  /** Whether the query/key/value projection has a bias. */
  readonly qkvBias: boolean;
  /** The dropout on the attention probabilities; its `rate` is mutable. */
  readonly attentionDrop: Dropout;
  private readonly seed: number | undefined;
  private qkvKernel: LayerVariable | undefined;
  private qkvBiasWeight: LayerVariable | undefined;
  private projKernel: LayerVariable | undefined;
  private projBias: LayerVariable | undefined;

  /** @param args - {@link MultiHeadSelfAttentionArgs}. */
  constructor(args: MultiHeadSelfAttentionArgs) {
    super({
      ...(args?.name === undefined ? {} : { name: args.name }),
      ...(args?.trainable === undefined ? {} : { trainable: args.trainable }),
    });
    registerOnce(MultiHeadSelfAttention);
    this.numHeads = assertInteger('numHeads', args?.numHeads, { min: 1 });
    this.qkvBias = args.qkvBias ?? true;
    if (typeof this.qkvBias !== 'boolean') {
      throw new InvalidArgumentError('qkvBias', args.qkvBias, 'a boolean');
    }
    if (args.seed !== undefined) assertInteger('seed', args.seed, { min: 0 });
    this.seed = args.seed;
    this.attentionDrop = new Dropout({
      rate: checkRate('attentionDropout', args.attentionDropout),
      name: args.attentionDropoutName ?? `${this.name}_drop`,
      ...(args.seed === undefined ? {} : { seed: args.seed }),
    });
  }

  /**
   * The dropout layers this layer holds, for `applyRates` (the `DropoutSiteContainer` interface).
   *
   * @returns the attention-probability dropout.
   */
  dropoutSites(): layers.Layer[] {
    return [this.attentionDrop];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    const width = shape[shape.length - 1];
    if (shape.length !== 3 || typeof width !== 'number') {
      throw new InvalidArgumentError(
        'inputShape',
        shape,
        'a [batch, tokens, width] shape with a known width',
      );
    }
    if (width % this.numHeads !== 0) {
      throw new InvalidArgumentError(
        'width',
        width,
        `a multiple of numHeads (${this.numHeads}): each head takes width / numHeads channels`,
      );
    }
    // timm initializes every ViT linear layer with trunc_normal(std=0.02) and zero biases.
    const init = () => initializers.truncatedNormal({ stddev: 0.02 });
    this.qkvKernel = this.addWeight('qkv/kernel', [width, 3 * width], 'float32', init());
    if (this.qkvBias) {
      this.qkvBiasWeight = this.addWeight('qkv/bias', [3 * width], 'float32', initializers.zeros());
    }
    this.projKernel = this.addWeight('proj/kernel', [width, width], 'float32', init());
    this.projBias = this.addWeight('proj/bias', [width], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tidy(() => {
      const x = firstTensor(inputs);
      const [batch, tokens, width] = x.shape as [number, number, number];
      const heads = this.numHeads;
      const headDim = width / heads;
      let qkv = matMul(
        reshape(x, [batch * tokens, width]),
        (this.qkvKernel as LayerVariable).read(),
      );
      if (this.qkvBiasWeight) qkv = add(qkv, this.qkvBiasWeight.read());
      // [3, batch, heads, tokens, headDim]: one batched matmul per product for all heads.
      const [q, k, v] = unstack(
        transpose(reshape(qkv, [batch, tokens, 3, heads, headDim]), [2, 0, 3, 1, 4]),
      ) as [Tensor, Tensor, Tensor];
      const scores = mul(matMul(q, k, false, true), 1 / Math.sqrt(headDim));
      const probs = this.attentionDrop.apply(softmax(scores), {
        training: kwargs.training ?? false,
      }) as Tensor;
      const context = reshape(transpose(matMul(probs, v), [0, 2, 1, 3]), [batch * tokens, width]);
      const out = add(
        matMul(context, (this.projKernel as LayerVariable).read()),
        (this.projBias as LayerVariable).read(),
      );
      return reshape(out, [batch, tokens, width]);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      qkvBias: this.qkvBias,
      // Nested under a `name` key: tfjs-layers camel-cases every other string value of a saved
      // config when it loads it, which would turn `attn_drop` into `attnDrop`.
      attentionDrop: { name: this.attentionDrop.name, rate: this.attentionDrop.rate },
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }

  /**
   * Rebuilds the layer from {@link MultiHeadSelfAttention.getConfig}'s output (tfjs calls this
   * when it loads a model).
   *
   * @param cls - the class to build (this one).
   * @param config - the saved config.
   * @returns the layer.
   */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    const { attentionDrop, ...rest } = config;
    const inner = (attentionDrop ?? {}) as { name?: string; rate?: number };
    return new cls({
      ...rest,
      ...(inner.rate === undefined ? {} : { attentionDropout: inner.rate }),
      ...(inner.name === undefined ? {} : { attentionDropoutName: inner.name }),
    });
  }
}
