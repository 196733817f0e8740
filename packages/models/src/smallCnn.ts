import { InvalidArgumentError } from '@dropkit/core';
import { SpatialDropout2D } from '@dropkit/layers';
import { input, type LayersModel, layers, model } from '@tensorflow/tfjs-layers';
import {
  type CommonOptions,
  checkCommon,
  checkInputShape,
  positiveInt,
  positiveIntArray,
  rate,
} from './arguments.js';
import { call, classifierHead, dropoutSite } from './graph.js';
import { registerModels } from './registerModels.js';

/** Options of {@link smallCnn}. */
export interface SmallCnnOptions extends CommonOptions {
  /** `[height, width, channels]` of one image (channels last); height and width at least 4. */
  readonly inputShape: readonly [number, number, number];
  /**
   * Dropout rate of both sites, in [0, 1): the spatial dropout after the convolutions
   * (`conv_drop`, whole feature maps) and the dropout after the dense layer (`fc_drop`). Default 0.
   */
  readonly dropout?: number;
  /** Filters of the two 3x3 convolutions. Default `[32, 64]`. */
  readonly filters?: readonly [number, number];
  /** Units of the dense layer before the classifier. Default 128. */
  readonly units?: number;
}

/**
 * A small CNN for MNIST / CIFAR-sized images, the classic Keras example shape: two blocks of a
 * 3x3 ReLU convolution and 2x2 max pooling (`conv0`, `pool0`, `conv1`, `pool1`), a spatial
 * dropout site `conv_drop`, a dense ReLU layer `fc` with a dropout site `fc_drop`, and `head`.
 *
 * @param options - {@link SmallCnnOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError on a bad shape, size or rate.
 * @example
 * ```ts
 * import { parameterCount, smallCnn } from '@dropkit/models';
 * const net = smallCnn({ inputShape: [28, 28, 1], classes: 10, dropout: 0.25 });
 * console.log(net.outputs[0].shape, parameterCount(net)); // [ null, 10 ] 421642
 * ```
 */
export function smallCnn(options: SmallCnnOptions): LayersModel {
  const common = checkCommon(options, 'small_cnn');
  const [height, width, channels] = checkInputShape('inputShape', options.inputShape, 3) as [
    number,
    number,
    number,
  ];
  if (height < 4 || width < 4) {
    throw new InvalidArgumentError(
      'inputShape',
      options.inputShape,
      'height and width of at least 4 (two 2x2 poolings)',
    );
  }
  const p = rate('dropout', options.dropout);
  const [f0, f1] = positiveIntArray('filters', options.filters ?? [32, 64], 2) as [number, number];
  if (options.filters !== undefined && options.filters.length !== 2) {
    throw new InvalidArgumentError('filters', options.filters, 'two positive integers');
  }
  const units = positiveInt('units', options.units ?? 128);
  registerModels();
  const inp = input({ shape: [height, width, channels], name: 'input' });
  let x = inp;
  for (const [i, filters] of [f0, f1].entries()) {
    x = call(
      layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: `conv${i}`,
      }),
      x,
    );
    x = call(layers.maxPooling2d({ poolSize: 2, name: `pool${i}` }), x);
  }
  x = call(new SpatialDropout2D({ rate: p, name: 'conv_drop', ...common.seeds.take() }), x);
  x = call(layers.flatten({ name: 'flatten' }), x);
  x = call(layers.dense({ units, activation: 'relu', name: 'fc' }), x);
  x = call(dropoutSite('fc_drop', p, common.seeds), x);
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
