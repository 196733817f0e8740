import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import { convNeXt, mlp, mlpMixer, resnet, smallCnn, vit } from '../src/index.js';

/** Asserts `fn` throws an InvalidArgumentError naming `parameter` and the value received. */
function expectInvalid(fn: () => unknown, parameter: string, received: string): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `${parameter} is rejected`).toBeInstanceOf(InvalidArgumentError);
  const e = error as InvalidArgumentError;
  expect(e.parameter).toBe(parameter);
  expect(e.message).toContain(`received ${received}`);
}

const vitBase = { imageSize: 8, channels: 1, classes: 2, depth: 1, width: 4, heads: 2 } as const;
const mixerBase = { imageSize: 8, channels: 1, classes: 2, depth: 1, width: 4 } as const;
const convBase = { imageSize: 8, channels: 1, classes: 2, depths: [1], dims: [4] } as const;

describe('builder argument checks', () => {
  it('shared options: classes, rates, seed, outputActivation, name', () => {
    expectInvalid(() => mlp({ inputShape: [2], hidden: [2], classes: 0 }), 'classes', '0');
    expectInvalid(
      () => mlp({ inputShape: [2], hidden: [2], classes: 2, dropout: 1 }),
      'dropout',
      '1',
    );
    expectInvalid(
      () => mlp({ inputShape: [2], hidden: [2], classes: 2, dropout: Number.NaN }),
      'dropout',
      'NaN',
    );
    expectInvalid(() => mlp({ inputShape: [2], hidden: [2], classes: 2, seed: -1 }), 'seed', '-1');
    expectInvalid(
      () =>
        mlp({
          inputShape: [2],
          hidden: [2],
          classes: 2,
          outputActivation: 'relu' as unknown as 'linear',
        }),
      'outputActivation',
      '"relu"',
    );
    expectInvalid(
      () => mlp({ inputShape: [2], hidden: [2], classes: 2, name: 'has space' }),
      'name',
      '"has space"',
    );
    expectInvalid(() => mlp(null as unknown as Parameters<typeof mlp>[0]), 'options', 'null');
  });

  it('mlp: shape, widths and activation', () => {
    expectInvalid(() => mlp({ inputShape: [], hidden: [2], classes: 2 }), 'inputShape', '[]');
    expectInvalid(() => mlp({ inputShape: [2, 0], hidden: [2], classes: 2 }), 'inputShape[1]', '0');
    expectInvalid(() => mlp({ inputShape: [2], hidden: [2, 1.5], classes: 2 }), 'hidden[1]', '1.5');
    expectInvalid(
      () => mlp({ inputShape: [2], hidden: 3 as unknown as number[], classes: 2 }),
      'hidden',
      '3',
    );
    expectInvalid(
      () => mlp({ inputShape: [2], hidden: [2], classes: 2, activation: 'softmax' as 'relu' }),
      'activation',
      '"softmax"',
    );
  });

  it('smallCnn: rank-3 input of at least 4x4, two filter counts', () => {
    expectInvalid(
      () => smallCnn({ inputShape: [8, 8] as never, classes: 2 }),
      'inputShape',
      '[8,8]',
    );
    expectInvalid(() => smallCnn({ inputShape: [3, 8, 1], classes: 2 }), 'inputShape', '[3,8,1]');
    expectInvalid(
      () => smallCnn({ inputShape: [8, 8, 1], classes: 2, filters: [4, 4, 4] as never }),
      'filters',
      '[4,4,4]',
    );
    expectInvalid(() => smallCnn({ inputShape: [8, 8, 1], classes: 2, units: 0 }), 'units', '0');
  });

  it('resnet: depth 6n + 2 and a drop-path rate', () => {
    for (const depth of [6, 18, 21]) {
      expectInvalid(
        () => resnet({ depth, inputShape: [8, 8, 3], classes: 2 }),
        'depth',
        String(depth),
      );
    }
    expectInvalid(
      () => resnet({ depth: 8, inputShape: [8, 8, 3], classes: 2, dropPath: -0.1 }),
      'dropPath',
      '-0.1',
    );
  });

  it('vit: patch size divides the image, heads divide the width, rates and pooling', () => {
    expectInvalid(() => vit({ ...vitBase, imageSize: 10, patchSize: 4 }), 'imageSize', '10');
    expectInvalid(() => vit({ ...vitBase, imageSize: [8, 6] }), 'imageSize', '[8,6]');
    expectInvalid(() => vit({ ...vitBase, width: 6, heads: 4 }), 'width', '6');
    expectInvalid(() => vit({ ...vitBase, heads: 0 }), 'heads', '0');
    expectInvalid(() => vit({ ...vitBase, mlpRatio: 0 }), 'mlpRatio', '0');
    expectInvalid(() => vit({ ...vitBase, mlpRatio: 0.1 }), 'mlpRatio', '0.1');
    expectInvalid(() => vit({ ...vitBase, attentionDropout: 1.2 }), 'attentionDropout', '1.2');
    expectInvalid(() => vit({ ...vitBase, positionDropout: -1 }), 'positionDropout', '-1');
    expectInvalid(() => vit({ ...vitBase, dropPath: 1 }), 'dropPath', '1');
    expectInvalid(() => vit({ ...vitBase, pooling: 'max' as 'mean' }), 'pooling', '"max"');
    expectInvalid(() => vit({ ...vitBase, channels: 0 }), 'channels', '0');
  });

  it('mlpMixer: patch size divides the image, positive MLP widths', () => {
    expectInvalid(() => mlpMixer({ ...mixerBase, patchSize: 3 }), 'imageSize', '8');
    expectInvalid(() => mlpMixer({ ...mixerBase, tokenMlpRatio: 0.1 }), 'tokenMlpRatio', '0.1');
    expectInvalid(() => mlpMixer({ ...mixerBase, channelMlpRatio: -2 }), 'channelMlpRatio', '-2');
    expectInvalid(() => mlpMixer({ ...mixerBase, depth: 0 }), 'depth', '0');
  });

  it('convNeXt: one width per stage, an image large enough for the downsampling', () => {
    expectInvalid(() => convNeXt({ ...convBase, dims: [4, 8] }), 'dims', '[4,8]');
    expectInvalid(() => convNeXt({ ...convBase, depths: [] }), 'depths', '[]');
    expectInvalid(
      () => convNeXt({ ...convBase, imageSize: 8, depths: [1, 1, 1], dims: [2, 4, 8] }),
      'imageSize',
      '8',
    );
    expectInvalid(
      () => convNeXt({ ...convBase, layerScaleInit: Number.POSITIVE_INFINITY }),
      'layerScaleInit',
      'Infinity',
    );
    expectInvalid(() => convNeXt({ ...convBase, dropout: 2 }), 'dropout', '2');
  });
});
