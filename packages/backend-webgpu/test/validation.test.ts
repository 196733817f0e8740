import { InvalidArgumentError } from '@dropkit/core';
import {
  DropkitAlphaDropout,
  DropkitDropBlock,
  DropkitDropout,
  DropkitGaussianDropout,
  DropkitProbDropBlock,
  DropkitStandout,
  resolveSeed,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runKernel, take, useWebGpu } from './helpers.js';

useWebGpu();

const key = resolveSeed(1);
const dropoutAttrs = (noiseShape: number[]) => ({
  threshold: 1 << 23,
  scale: 2,
  noiseShape,
  ...key,
});
const alphaAttrs = (noiseShape: number[]) => ({
  threshold: 1 << 23,
  a: 1,
  b: 0,
  alphaP: -1,
  noiseShape,
  ...key,
});
const blockAttrs = (blockSize: number) => ({
  rate: 0.2,
  blockSize,
  dataFormat: 'NHWC',
  perChannel: true,
  ...key,
});

describe('kernel input checks on webgpu', () => {
  it('rejects a noise shape that does not broadcast, naming noiseShape', () => {
    const x = tf.ones([2, 3]);
    expect(() => runKernel(DropkitDropout, { x }, dropoutAttrs([2, 2]))).toThrow(
      InvalidArgumentError,
    );
    expect(() => runKernel(DropkitAlphaDropout, { x }, alphaAttrs([2]))).toThrow(
      /noiseShape: received \[2\]/,
    );
    x.dispose();
  });

  it('rejects non-float inputs, naming them', () => {
    const xi = tf.ones([4], 'int32');
    expect(() => runKernel(DropkitGaussianDropout, { x: xi }, { stddev: 1, ...key })).toThrow(
      /Invalid x: received "a int32 tensor of shape \[4\]"; expected a float32 tensor/,
    );
    const x = tf.ones([4]);
    expect(() => runKernel(DropkitStandout, { x, a: xi }, { alpha: 1, beta: 0, ...key })).toThrow(
      /Invalid a:/,
    );
    tf.dispose([x, xi]);
  });

  it('rejects a standout pre-activation of another shape, and DropBlock maps that are not 4-D or too small', () => {
    const x = tf.ones([2, 4, 4, 1]);
    const flat = tf.ones([2, 4, 4]);
    const wide = tf.ones([2, 4, 4, 2]);
    expect(() => runKernel(DropkitStandout, { x, a: flat }, { alpha: 1, beta: 0, ...key })).toThrow(
      /a\.shape/,
    );
    expect(() => runKernel(DropkitDropBlock, { x: flat }, blockAttrs(2))).toThrow(
      /x\.rank: received 3/,
    );
    expect(() => runKernel(DropkitDropBlock, { x }, blockAttrs(5))).toThrow(
      /blockSize: received 5; expected an integer in \[1, 4\]/,
    );
    expect(() => runKernel(DropkitProbDropBlock, { x, guide: wide }, blockAttrs(2))).toThrow(
      /guide\.shape/,
    );
    tf.dispose([x, flat, wide]);
  });

  it('returns empty outputs for empty inputs, without a dispatch', async () => {
    const empty = tf.zeros([0, 3]);
    expect((await take(runKernel(DropkitDropout, { x: empty }, dropoutAttrs([0, 3])))).length).toBe(
      0,
    );
    expect(
      (await take(runKernel(DropkitGaussianDropout, { x: empty }, { stddev: 1, ...key }))).length,
    ).toBe(0);
    const map = tf.zeros([0, 4, 4, 2]);
    const y = runKernel(DropkitProbDropBlock, { x: map }, blockAttrs(2));
    expect(y.shape).toEqual([0, 4, 4, 2]);
    expect((await take(y)).length).toBe(0);
    tf.dispose([empty, map]);
  });
});
