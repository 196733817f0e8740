import { InvalidArgumentError } from '@dropkit/core';
import { dropPathRates } from '@dropkit/schedules';
import {
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
import { registerModels } from './registerModels.js';

/** Options of {@link mlpMixer}. */
export interface MlpMixerOptions extends CommonOptions {
  /** Image side, or `[height, width]`; each must be divisible by `patchSize`. */
  readonly imageSize: number | readonly [number, number];
  /** Image channels. */
  readonly channels: number;
  /** Side of the square patches. Default 4. */
  readonly patchSize?: number;
  /** Number of mixer blocks. Default 8 (Mixer-S). */
  readonly depth?: number;
  /** Channels per token. Default 512 (Mixer-S). */
  readonly width?: number;
  /** Hidden width of the token-mixing MLP as a multiple of `width` (floored). Default 0.5. */
  readonly tokenMlpRatio?: number;
  /** Hidden width of the channel-mixing MLP as a multiple of `width` (floored). Default 4. */
  readonly channelMlpRatio?: number;
  /** Dropout after each MLP layer, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Drop-path rate of the last block, in [0, 1); linspace(0, dropPath, depth). Default 0. */
  readonly dropPath?: number;
}

/**
 * An MLP-Mixer (Tolstikhin et al. 2021) as timm builds it, with Mixer-S defaults (width 512,
 * depth 8, MLP ratios 0.5 and 4): a patch embedding `stem`, then pre-norm blocks
 * `x + dropPath(tokenMlp(norm1(x)^T)^T)` and `x + dropPath(channelMlp(norm2(x)))`, a final
 * LayerNorm `norm`, average pooling over tokens and the classifier. Each MLP is fc1, GELU,
 * `drop1`, fc2, `drop2` (e.g. `block{i}/token_mlp/drop1`, `block{i}/channel_mlp/drop2`); both
 * residual branches of block i share the drop-path site `block{i}/drop_path`.
 *
 * @param options - {@link MlpMixerOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError on an image size not divisible by the patch size or any other bad
 *   value.
 * @example
 * ```ts
 * import { mlpMixer, parameterCount } from '@dropkit/models';
 * const net = mlpMixer({ imageSize: 32, channels: 3, classes: 10, depth: 2, width: 32 });
 * console.log(net.outputs[0].shape, parameterCount(net)); // [ null, 10 ] 23178
 * ```
 */
export function mlpMixer(options: MlpMixerOptions): LayersModel {
  const common = checkCommon(options, 'mlp_mixer');
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
  const depth = positiveInt('depth', options.depth ?? 8);
  const width = positiveInt('width', options.width ?? 512);
  const hiddenOf = (name: string, ratio: number) => {
    const h = Math.floor(width * positiveNumber(name, ratio));
    if (h < 1) throw new InvalidArgumentError(name, ratio, `at least 1 / width (1 / ${width})`);
    return h;
  };
  const tokenHidden = hiddenOf('tokenMlpRatio', options.tokenMlpRatio ?? 0.5);
  const channelHidden = hiddenOf('channelMlpRatio', options.channelMlpRatio ?? 4);
  const drop = rate('dropout', options.dropout);
  const pathRates = dropPathRates(rate('dropPath', options.dropPath), depth);
  registerModels();

  const seeds = common.seeds;
  const tokens = (height / patch) * (widthPx / patch);
  const mlpBranch = (x: SymbolicTensor, hidden: number, out: number, p: string) => {
    let y = call(layers.dense({ units: hidden, activation: 'gelu', name: `${p}/fc1` }), x);
    y = call(dropoutSite(`${p}/drop1`, drop, seeds), y);
    y = call(layers.dense({ units: out, name: `${p}/fc2` }), y);
    return call(dropoutSite(`${p}/drop2`, drop, seeds), y);
  };

  const inp = input({ shape: [height, widthPx, channels], name: 'input' });
  let x: SymbolicTensor = call(
    layers.conv2d({ filters: width, kernelSize: patch, strides: patch, name: 'stem' }),
    inp,
  );
  x = call(layers.reshape({ targetShape: [tokens, width], name: 'stem/tokens' }), x);
  for (let i = 0; i < depth; i++) {
    const p = `block${i}`;
    const path = dropPathSite(`${p}/drop_path`, pathRates[i] as number, seeds);
    // Token mixing runs a dense layer along the token axis: transpose, mix, transpose back.
    let branch = call(
      layers.permute({ dims: [2, 1], name: `${p}/token_mlp/transpose_in` }),
      call(layerNorm(`${p}/norm1`), x),
    );
    branch = mlpBranch(branch, tokenHidden, tokens, `${p}/token_mlp`);
    branch = call(layers.permute({ dims: [2, 1], name: `${p}/token_mlp/transpose_out` }), branch);
    x = residual(x, branch, path, `${p}/add1`);
    branch = mlpBranch(call(layerNorm(`${p}/norm2`), x), channelHidden, width, `${p}/channel_mlp`);
    x = residual(x, branch, path, `${p}/add2`);
  }
  x = call(layers.globalAveragePooling1d({ name: 'pool' }), call(layerNorm('norm'), x));
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
