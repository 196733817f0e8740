import { assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { dropPathRates } from '@dropkit/schedules';
import {
  initializers,
  input,
  type LayersModel,
  layers,
  model,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import {
  type CommonOptions,
  checkCommon,
  checkImageSize,
  positiveInt,
  positiveNumber,
  rate,
} from './arguments.js';
import { call, classifierHead, dropoutSite, dropPathSite, layerNorm, residual } from './graph.js';
import { ClassTokenPooling } from './layers/ClassTokenPooling.js';
import { MultiHeadSelfAttention } from './layers/MultiHeadSelfAttention.js';
import { PositionEmbedding } from './layers/PositionEmbedding.js';
import { registerModels } from './registerModels.js';

/** How a ViT turns its tokens into one vector for the classifier. */
export type VitPooling = 'token' | 'mean';

/** Options of {@link vit}. */
export interface VitOptions extends CommonOptions {
  /** Image side, or `[height, width]`; each must be divisible by `patchSize`. */
  readonly imageSize: number | readonly [number, number];
  /** Image channels (1 for MNIST, 3 for CIFAR). */
  readonly channels: number;
  /** Side of the square patches. Default 4 (7x7 tokens on 28x28, 8x8 on 32x32). */
  readonly patchSize?: number;
  /** Number of transformer blocks. Default 12 (ViT-Tiny). */
  readonly depth?: number;
  /** Token width. Default 192 (ViT-Tiny). */
  readonly width?: number;
  /** Attention heads; must divide `width`. Default 3 (ViT-Tiny). */
  readonly heads?: number;
  /** Hidden width of each MLP as a multiple of `width` (floored). Default 4. */
  readonly mlpRatio?: number;
  /** Dropout after the attention projection and in each MLP, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Dropout on the attention probabilities, in [0, 1). Default 0. */
  readonly attentionDropout?: number;
  /** Drop-path rate of the last block, in [0, 1); linspace(0, dropPath, depth). Default 0. */
  readonly dropPath?: number;
  /** Dropout after adding the position embeddings, in [0, 1). Default 0. */
  readonly positionDropout?: number;
  /** `token` (default): a class token is prepended and read out; `mean`: tokens are averaged. */
  readonly pooling?: VitPooling;
}

/**
 * A Vision Transformer (Dosovitskiy et al. 2021) as timm builds it, with ViT-Tiny defaults
 * (width 192, depth 12, 3 heads, MLP ratio 4): a patch embedding (a convolution with stride =
 * patch size) `patch_embed`, learned position embeddings `pos_embed` (after a class token with
 * `pooling: 'token'`), position dropout `pos_drop`, then `depth` pre-norm blocks and a final
 * LayerNorm and classifier. Block i (`block{i}/...`) is
 * `x + dropPath(projDrop(attn(norm1(x))))` then `x + dropPath(mlp(norm2(x)))`, where `attn` is a
 * {@link MultiHeadSelfAttention} holding the attention dropout `block{i}/attn_drop`, the projection
 * dropout is `block{i}/proj_drop`, and the MLP is fc1, GELU, `block{i}/mlp/drop1`, fc2,
 * `block{i}/mlp/drop2`. Both residual branches of a block share one drop-path site
 * `block{i}/drop_path` with rate `dropPathRates(dropPath, depth)[i]`. Every site exists even at
 * rate 0, so a schedule can turn it on.
 *
 * @param options - {@link VitOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError on an image size not divisible by the patch size, a width not
 *   divisible by the heads, or any other bad value.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { parameterCount, vit } from '@dropkit/models';
 * const net = vit({ imageSize: 28, channels: 1, classes: 10, depth: 2, width: 32, heads: 2, dropPath: 0.1 });
 * console.log(net.outputs[0].shape, parameterCount(net)); // [ null, 10 ] 27978
 * console.log(net.getLayer('block1/drop_path').rate); // 0.1
 * ```
 */
export function vit(options: VitOptions): LayersModel {
  const common = checkCommon(options, 'vit');
  const [height, widthPx] = checkImageSize(options.imageSize);
  const channels = positiveInt('channels', options.channels);
  const patch = positiveInt('patchSize', options.patchSize ?? 4);
  if (height % patch !== 0 || widthPx % patch !== 0) {
    throw new InvalidArgumentError(
      'imageSize',
      options.imageSize,
      `sides divisible by patchSize (${patch})`,
    );
  }
  const depth = positiveInt('depth', options.depth ?? 12);
  const width = positiveInt('width', options.width ?? 192);
  const heads = positiveInt('heads', options.heads ?? 3);
  if (width % heads !== 0) {
    throw new InvalidArgumentError('width', width, `a multiple of heads (${heads})`);
  }
  const mlpRatio = positiveNumber('mlpRatio', options.mlpRatio ?? 4);
  const hidden = Math.floor(width * mlpRatio);
  if (hidden < 1) {
    throw new InvalidArgumentError('mlpRatio', mlpRatio, `at least 1 / width (1 / ${width})`);
  }
  const drop = rate('dropout', options.dropout);
  const attnDrop = rate('attentionDropout', options.attentionDropout);
  const posDrop = rate('positionDropout', options.positionDropout);
  const pathRates = dropPathRates(rate('dropPath', options.dropPath), depth);
  const pooling = assertOneOf('pooling', options.pooling ?? 'token', ['token', 'mean']);
  registerModels();

  const seeds = common.seeds;
  const dense = (units: number, name: string, activation?: 'gelu') =>
    layers.dense({
      units,
      name,
      kernelInitializer: initializers.truncatedNormal({ stddev: 0.02 }),
      ...(activation ? { activation } : {}),
    });
  const tokens = (height / patch) * (widthPx / patch);

  const inp = input({ shape: [height, widthPx, channels], name: 'input' });
  let x: SymbolicTensor = call(
    layers.conv2d({ filters: width, kernelSize: patch, strides: patch, name: 'patch_embed' }),
    inp,
  );
  x = call(layers.reshape({ targetShape: [tokens, width], name: 'patch_embed/tokens' }), x);
  x = call(new PositionEmbedding({ classToken: pooling === 'token', name: 'pos_embed' }), x);
  x = call(dropoutSite('pos_drop', posDrop, seeds), x);
  for (let i = 0; i < depth; i++) {
    const p = `block${i}`;
    const attention = new MultiHeadSelfAttention({
      numHeads: heads,
      attentionDropout: attnDrop,
      attentionDropoutName: `${p}/attn_drop`,
      name: `${p}/attn`,
      ...seeds.take(),
    });
    let branch = call(attention, call(layerNorm(`${p}/norm1`), x));
    branch = call(dropoutSite(`${p}/proj_drop`, drop, seeds), branch);
    const path = dropPathSite(`${p}/drop_path`, pathRates[i] as number, seeds);
    x = residual(x, branch, path, `${p}/add1`);
    branch = call(dense(hidden, `${p}/mlp/fc1`, 'gelu'), call(layerNorm(`${p}/norm2`), x));
    branch = call(dropoutSite(`${p}/mlp/drop1`, drop, seeds), branch);
    branch = call(dense(width, `${p}/mlp/fc2`), branch);
    branch = call(dropoutSite(`${p}/mlp/drop2`, drop, seeds), branch);
    x = residual(x, branch, path, `${p}/add2`);
  }
  // timm normalizes every token before reading the class token, but the average after pooling.
  if (pooling === 'token') {
    x = call(new ClassTokenPooling({ name: 'pool' }), call(layerNorm('norm'), x));
  } else {
    x = call(layerNorm('fc_norm'), call(layers.globalAveragePooling1d({ name: 'pool' }), x));
  }
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
