import { assertFinite, InvalidArgumentError } from '@dropkit/core';
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
  positiveIntArray,
  rate,
} from './arguments.js';
import { call, classifierHead, dropoutSite, dropPathSite, layerNorm, residual } from './graph.js';
import { LayerScale } from './layers/LayerScale.js';
import { registerModels } from './registerModels.js';

/** Options of {@link convNeXt}. */
export interface ConvNeXtOptions extends CommonOptions {
  /** Image side, or `[height, width]`; at least `stemPatch * 2^(stages - 1)`. */
  readonly imageSize: number | readonly [number, number];
  /** Image channels. */
  readonly channels: number;
  /** Blocks per stage. Default `[2, 2, 6, 2]` (ConvNeXt-Femto). */
  readonly depths?: readonly number[];
  /** Channels per stage, as many as `depths`. Default `[48, 96, 192, 384]` (ConvNeXt-Femto). */
  readonly dims?: readonly number[];
  /** Side and stride of the patchify stem. Default 4. */
  readonly stemPatch?: number;
  /** Drop-path rate of the last block, in [0, 1); linspace over all blocks. Default 0. */
  readonly dropPath?: number;
  /** Dropout before the classifier (`head/drop`), in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Initial value of every layer-scale weight. Default 1e-6. */
  readonly layerScaleInit?: number;
}

/**
 * A ConvNeXt (Liu et al. 2022) as timm builds it, with ConvNeXt-Femto defaults (depths
 * [2, 2, 6, 2], dims [48, 96, 192, 384]): a patchify stem (`stem/conv`, `stem/norm`), stages
 * separated by a LayerNorm and a 2x2 stride-2 convolution (`stage{s}/downsample/...`), then global
 * average pooling, `head/norm`, a dropout site `head/drop` and the classifier `head`. Block b of
 * stage s is `x + dropPath(layerScale(pwconv2(gelu(pwconv1(norm(dwconv7x7(x)))))))`, the 1x1
 * convolutions as dense layers on the channel axis, the drop path `stage{s}/block{b}/drop_path`
 * with the rate of its position among all blocks.
 *
 * @param options - {@link ConvNeXtOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError when depths and dims differ in length, the image is too small for
 *   the downsampling, or on any other bad value.
 * @example
 * ```ts
 * import { convNeXt, parameterCount } from '@dropkit/models';
 * const net = convNeXt({ imageSize: 32, channels: 3, classes: 10, depths: [1, 1], dims: [8, 16] });
 * console.log(net.outputs[0].shape, parameterCount(net)); // [ null, 10 ] 5106
 * ```
 */
export function convNeXt(options: ConvNeXtOptions): LayersModel {
  const common = checkCommon(options, 'convnext');
  const [height, widthPx] = checkImageSize(options.imageSize);
  const channels = positiveInt('channels', options.channels);
  const depths = positiveIntArray('depths', options.depths ?? [2, 2, 6, 2]);
  const dims = positiveIntArray('dims', options.dims ?? [48, 96, 192, 384]);
  if (dims.length !== depths.length) {
    throw new InvalidArgumentError(
      'dims',
      options.dims ?? dims,
      `one width per stage (${depths.length}, as many as depths)`,
    );
  }
  const stemPatch = positiveInt('stemPatch', options.stemPatch ?? 4);
  const smallest = stemPatch * 2 ** (depths.length - 1);
  if (height < smallest || widthPx < smallest) {
    throw new InvalidArgumentError(
      'imageSize',
      options.imageSize,
      `sides of at least stemPatch * 2^(stages - 1) = ${smallest}`,
    );
  }
  const pathRates = dropPathRates(rate('dropPath', options.dropPath), depths);
  const headDrop = rate('dropout', options.dropout);
  const layerScaleInit = assertFinite('layerScaleInit', options.layerScaleInit ?? 1e-6);
  registerModels();

  const seeds = common.seeds;
  // timm initializes ConvNeXt's convolutions and linear layers with trunc_normal(std=0.02).
  const init = () => initializers.truncatedNormal({ stddev: 0.02 });
  const inp = input({ shape: [height, widthPx, channels], name: 'input' });
  let x: SymbolicTensor = call(
    layers.conv2d({
      filters: dims[0] as number,
      kernelSize: stemPatch,
      strides: stemPatch,
      kernelInitializer: init(),
      name: 'stem/conv',
    }),
    inp,
  );
  x = call(layerNorm('stem/norm'), x);
  depths.forEach((blocks, s) => {
    const dim = dims[s] as number;
    if (s > 0) {
      x = call(layerNorm(`stage${s}/downsample/norm`), x);
      x = call(
        layers.conv2d({
          filters: dim,
          kernelSize: 2,
          strides: 2,
          kernelInitializer: init(),
          name: `stage${s}/downsample/conv`,
        }),
        x,
      );
    }
    for (let b = 0; b < blocks; b++) {
      const p = `stage${s}/block${b}`;
      let branch = call(
        layers.depthwiseConv2d({
          kernelSize: 7,
          padding: 'same',
          depthwiseInitializer: init(),
          name: `${p}/dwconv`,
        }),
        x,
      );
      branch = call(layerNorm(`${p}/norm`), branch);
      branch = call(
        layers.dense({
          units: 4 * dim,
          activation: 'gelu',
          kernelInitializer: init(),
          name: `${p}/pwconv1`,
        }),
        branch,
      );
      branch = call(
        layers.dense({ units: dim, kernelInitializer: init(), name: `${p}/pwconv2` }),
        branch,
      );
      branch = call(
        new LayerScale({ initValue: layerScaleInit, name: `${p}/layer_scale` }),
        branch,
      );
      const path = dropPathSite(`${p}/drop_path`, pathRates[s]?.[b] as number, seeds);
      x = residual(x, branch, path, `${p}/add`);
    }
  });
  x = call(layers.globalAveragePooling2d({ name: 'pool' }), x);
  x = call(layerNorm('head/norm'), x);
  x = call(dropoutSite('head/drop', headDrop, seeds), x);
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
