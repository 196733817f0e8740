import { InvalidArgumentError } from '@dropkit/core';
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
  checkInputShape,
  positiveInt,
  rate,
} from './arguments.js';
import { call, classifierHead, dropPathSite, residual } from './graph.js';
import { registerModels } from './registerModels.js';

/** Options of {@link resnet}. */
export interface ResnetOptions extends CommonOptions {
  /** Number of weighted layers, 6n + 2 with n >= 1: 8, 14, 20, 32, 44, 56, 110, ... */
  readonly depth: number;
  /** `[height, width, channels]` of one image (channels last). */
  readonly inputShape: readonly [number, number, number];
  /**
   * Drop-path (stochastic depth) rate of the last residual block, in [0, 1); block k of the
   * 3n gets `dropPathRates(dropPath, 3n)[k]`. Default 0.
   */
  readonly dropPath?: number;
  /** Filters of the first stage; the next two stages double it. Default 16. */
  readonly width?: number;
}

/**
 * A CIFAR-style ResNet (He et al. 2016, section 4.2): a 3x3 stem, three stages of n basic blocks
 * with 16, 32 and 64 filters (stride 2 at the start of stages 2 and 3), global average pooling and
 * the classifier; 6n + 2 weighted layers. Each block's residual branch ends in a drop-path site
 * `stage{s}/block{b}/drop_path` (per-sample stochastic depth, rates rising linearly with depth).
 * Shortcuts that change shape are 1x1 convolutions with batch norm (option B), not the paper's
 * zero-padding (option A): a few more parameters, no custom layer.
 *
 * @param options - {@link ResnetOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError on a depth that is not 6n + 2, a bad shape or a bad rate.
 * @example
 * ```ts
 * import { parameterCount, resnet } from '@dropkit/models';
 * const net = resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10, dropPath: 0.1 });
 * console.log(parameterCount(net)); // 274042
 * console.log(net.getLayer('stage2/block2/drop_path').rate); // 0.1
 * ```
 */
export function resnet(options: ResnetOptions): LayersModel {
  const common = checkCommon(options, 'resnet');
  const depth = positiveInt('depth', options.depth);
  if (depth < 8 || (depth - 2) % 6 !== 0) {
    throw new InvalidArgumentError(
      'depth',
      options.depth,
      '6n + 2 with n >= 1 (8, 14, 20, 32, ...)',
    );
  }
  const shape = checkInputShape('inputShape', options.inputShape, 3);
  const width = positiveInt('width', options.width ?? 16);
  const n = (depth - 2) / 6;
  const rates = dropPathRates(rate('dropPath', options.dropPath), 3 * n);
  registerModels();

  const conv = (filters: number, kernelSize: number, strides: number, name: string) =>
    layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: initializers.heNormal({}),
      name,
    });
  // PyTorch's batch-norm defaults (momentum 0.1 there is 0.9 here), as the CIFAR recipes use.
  const bn = (name: string) => layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });
  const relu = (name: string) => layers.activation({ activation: 'relu', name });

  const inp = input({ shape, name: 'input' });
  let x: SymbolicTensor = call(conv(width, 3, 1, 'stem/conv'), inp);
  x = call(relu('stem/relu'), call(bn('stem/bn'), x));
  let inChannels = width;
  let k = 0;
  for (let s = 0; s < 3; s++) {
    const filters = width * 2 ** s;
    for (let b = 0; b < n; b++) {
      const p = `stage${s}/block${b}`;
      const strides = s > 0 && b === 0 ? 2 : 1;
      let branch = call(conv(filters, 3, strides, `${p}/conv1`), x);
      branch = call(relu(`${p}/relu1`), call(bn(`${p}/bn1`), branch));
      branch = call(bn(`${p}/bn2`), call(conv(filters, 3, 1, `${p}/conv2`), branch));
      let shortcut = x;
      if (strides !== 1 || inChannels !== filters) {
        shortcut = call(
          bn(`${p}/shortcut/bn`),
          call(conv(filters, 1, strides, `${p}/shortcut/conv`), x),
        );
      }
      const site = dropPathSite(`${p}/drop_path`, rates[k++] as number, common.seeds);
      x = call(relu(`${p}/relu2`), residual(shortcut, branch, site, `${p}/add`));
      inChannels = filters;
    }
  }
  x = call(layers.globalAveragePooling2d({ name: 'pool' }), x);
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
