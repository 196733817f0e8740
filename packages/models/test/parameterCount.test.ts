import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends } from '@dropkit/test-utils';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { convNeXt, mlp, mlpMixer, parameterCount, resnet, smallCnn, vit } from '../src/index.js';
import {
  convNeXtParams,
  mixerParams,
  mlpParams,
  resnetParams,
  smallCnnParams,
  vitParams,
} from './formulas.js';

const countAndDispose = (model: tfl.LayersModel, options = {}): number => {
  const n = parameterCount(model, options);
  model.dispose();
  return n;
};

describeWithBackends('parameterCount', ({ it }) => {
  it('counts an MLP as sum of (in + 1) * out', () => {
    const net = mlp({ inputShape: [5], hidden: [7, 3], classes: 2 });
    // (5 + 1) * 7 + (7 + 1) * 3 + (3 + 1) * 2, by hand.
    expect(parameterCount(net)).toBe(42 + 24 + 8);
    expect(parameterCount(net)).toBe(mlpParams(5, [7, 3], 2));
    expect(parameterCount(net)).toBe(net.countParams());
    net.dispose();
    expect(countAndDispose(mlp({ inputShape: [3, 4], hidden: [], classes: 5 }))).toBe(65);
  });

  it('counts a one-block ViT term by term', () => {
    // 8x8x1 image, 4x4 patches: 4 tokens (+1 class token), width 4, MLP 8, 2 classes.
    const net = vit({
      imageSize: 8,
      channels: 1,
      classes: 2,
      patchSize: 4,
      depth: 1,
      width: 4,
      heads: 2,
      mlpRatio: 2,
    });
    const patchEmbed = 4 * 4 * 1 * 4 + 4; // conv kernel + bias
    const positions = 5 * 4; // one row per token, class token included
    const classToken = 4;
    const attention = 4 * 3 * 4 + 3 * 4 + 4 * 4 + 4; // qkv kernel + bias, projection
    const mlpPart = 4 * 8 + 8 + 8 * 4 + 4;
    const norms = 3 * 2 * 4; // norm1, norm2 and the final norm
    const head = 4 * 2 + 2;
    expect(parameterCount(net)).toBe(
      patchEmbed + positions + classToken + attention + mlpPart + norms + head,
    );
    net.dispose();
  });

  it('leaves batch-norm moving statistics out with trainableOnly', () => {
    const net = resnet({ depth: 8, inputShape: [8, 8, 3], classes: 2, width: 2 });
    const total = parameterCount(net);
    const trainable = parameterCount(net, { trainableOnly: true });
    // 7 batch norms: stem, 2 per block (3 blocks), 2 projection shortcuts; 2 moving stats each.
    const bnChannels = 2 + 2 * (2 + 4 + 8) + 4 + 8;
    expect(total - trainable).toBe(2 * bnChannels);
    expect(total).toBe(resnetParams(8, 3, 2, 2));
    net.dispose();
  });

  it('counts a weight shared by two layers once', () => {
    const dense = tfl.layers.dense({ units: 3 });
    const inp = tfl.input({ shape: [3] });
    const out = dense.apply(dense.apply(inp)) as tfl.SymbolicTensor;
    const net = tfl.model({ inputs: inp, outputs: out });
    expect(parameterCount(net)).toBe(12);
    net.dispose();
  });

  it('rejects something that is not a model', () => {
    expect(() => parameterCount(null as unknown as tfl.LayersModel)).toThrow(InvalidArgumentError);
    expect(() => parameterCount({} as tfl.LayersModel)).toThrow(/model/);
  });

  it('matches the published counts of the reference ImageNet models', () => {
    // timm vit_tiny_patch16_224 (DeiT-Ti): 5,717,416 parameters.
    expect(
      countAndDispose(vit({ imageSize: 224, patchSize: 16, channels: 3, classes: 1000 })),
    ).toBe(5_717_416);
    // timm mixer_s16_224: 18,528,264 parameters.
    expect(
      countAndDispose(mlpMixer({ imageSize: 224, patchSize: 16, channels: 3, classes: 1000 })),
    ).toBe(18_528_264);
    // timm convnext_femto: 5.2 M on its model card; the formula gives the exact count.
    const femto = countAndDispose(convNeXt({ imageSize: 224, channels: 3, classes: 1000 }));
    console.log(`convNeXt defaults at 224x224x3, 1000 classes: ${femto}`);
    expect(femto).toBe(convNeXtParams(3, [2, 2, 6, 2], [48, 96, 192, 384], 4, 1000));
    expect(Math.round(femto / 1e5) / 10).toBe(5.2);
    // He et al. 2016 table 6: ResNet-20 on CIFAR-10 has 0.27 M (with option-A shortcuts).
    expect(
      Math.round(
        countAndDispose(resnet({ depth: 20, inputShape: [32, 32, 3], classes: 10 }), {
          trainableOnly: true,
        }) / 1e4,
      ) / 100,
    ).toBe(0.27);
  });

  it('reports the defaults at CIFAR-10 size (32x32x3, 10 classes), as the README lists them', () => {
    const cifar = { imageSize: 32, channels: 3, classes: 10 } as const;
    const counts: Record<string, [number, number]> = {
      'vit (ViT-Tiny, patch 4)': [
        countAndDispose(vit(cifar)),
        vitParams({
          tokens: 64,
          patch: 4,
          channels: 3,
          width: 192,
          depth: 12,
          hidden: 768,
          classes: 10,
          classToken: true,
        }),
      ],
      'mlpMixer (Mixer-S, patch 4)': [
        countAndDispose(mlpMixer(cifar)),
        mixerParams({
          tokens: 64,
          patch: 4,
          channels: 3,
          width: 512,
          depth: 8,
          tokenHidden: 256,
          channelHidden: 2048,
          classes: 10,
        }),
      ],
      'convNeXt (ConvNeXt-Femto)': [
        countAndDispose(convNeXt(cifar)),
        convNeXtParams(3, [2, 2, 6, 2], [48, 96, 192, 384], 4, 10),
      ],
      'smallCnn [32, 32, 3]': [
        countAndDispose(smallCnn({ inputShape: [32, 32, 3], classes: 10 })),
        smallCnnParams([32, 32, 3], [32, 64], 128, 10),
      ],
      'smallCnn [28, 28, 1]': [
        countAndDispose(smallCnn({ inputShape: [28, 28, 1], classes: 10 })),
        smallCnnParams([28, 28, 1], [32, 64], 128, 10),
      ],
    };
    const trainable: string[] = [];
    for (const depth of [20, 32, 44, 56, 110]) {
      const net = resnet({ depth, inputShape: [32, 32, 3], classes: 10 });
      trainable.push(`${depth}: ${parameterCount(net, { trainableOnly: true })}`);
      counts[`resnet depth ${depth}`] = [countAndDispose(net), resnetParams(depth, 3, 16, 10)];
    }
    for (const [name, [built, formula]] of Object.entries(counts)) {
      expect(built, name).toBe(formula);
    }
    console.log(
      Object.entries(counts)
        .map(([name, [n]]) => `${name}: ${n.toLocaleString('en-US')}`)
        .join('\n'),
      `\nresnet trainable: ${trainable.join(', ')}`,
    );
  });
});
