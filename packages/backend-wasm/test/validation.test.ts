import { InvalidArgumentError } from '@dropkit/core';
import {
  DropkitDropBlock,
  DropkitDropout,
  DropkitProbDropBlock,
  DropkitStandout,
  rateThreshold,
  resolveSeed,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';

beforeAll(async () => {
  await initWasm();
});

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => () =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);

// Called directly (not through the ops, which validate first), the kernels still refuse
// attributes that would make them read or write outside their tensors.
describe('the wasm kernels reject input that would take them outside their buffers', () => {
  const key = resolveSeed(1);
  const dropoutAttrs = (noiseShape: number[]) => ({
    threshold: rateThreshold(0.5),
    scale: 2,
    noiseShape,
    ...key,
  });
  const blockAttrs = {
    rate: 0.2,
    blockSize: 3,
    dataFormat: 'NHWC',
    perChannel: true,
    ...key,
  };

  it('a non-float tensor', () =>
    expectNoLeaks(() => {
      const x = tf.tensor([1, 2, 3], [3], 'int32');
      expect(run(DropkitDropout, { x }, dropoutAttrs([3]))).toThrow(
        /x: received "a int32 tensor of shape \[3\]"; expected a float32 tensor/,
      );
      x.dispose();
    }));

  it('a noise shape that does not broadcast against x', () =>
    expectNoLeaks(() => {
      const x = tf.ones([2, 3]);
      for (const noiseShape of [[2, 2], [3], [2, 3, 1], [4, 1]]) {
        expect(run(DropkitDropout, { x }, dropoutAttrs(noiseShape))).toThrow(
          /noiseShape: received .*; expected an array of 2 entries/,
        );
      }
      x.dispose();
    }));

  it('a pre-activation or guide of another shape than x', () =>
    expectNoLeaks(() => {
      const x = tf.ones([1, 4, 4, 2]);
      const small = tf.ones([1, 4, 4, 1]);
      expect(run(DropkitStandout, { x, a: small }, { alpha: 1, beta: 0, ...key })).toThrow(
        /a\.shape: received \[1,4,4,1\]; expected x's shape \[1,4,4,2\]/,
      );
      expect(run(DropkitProbDropBlock, { x, guide: small }, blockAttrs)).toThrow(
        InvalidArgumentError,
      );
      tf.dispose([x, small]);
    }));

  it('a DropBlock map of the wrong rank, layout or block size, or a rate that is not one', () =>
    expectNoLeaks(() => {
      const x = tf.ones([1, 4, 5, 2]);
      const flat = tf.ones([4, 5]);
      expect(run(DropkitDropBlock, { x: flat }, blockAttrs)).toThrow(/x\.rank: received 2/);
      expect(run(DropkitDropBlock, { x }, { ...blockAttrs, dataFormat: 'NWHC' })).toThrow(
        /dataFormat: received "NWHC"/,
      );
      expect(run(DropkitDropBlock, { x }, { ...blockAttrs, blockSize: 5 })).toThrow(
        /blockSize: received 5; expected an integer in \[1, 4\]/,
      );
      expect(run(DropkitDropBlock, { x }, { ...blockAttrs, blockSize: 1.5 })).toThrow(
        InvalidArgumentError,
      );
      expect(run(DropkitDropBlock, { x }, { ...blockAttrs, rate: Number.NaN })).toThrow(
        /rate: received NaN; expected a number in \[0, 1\]/,
      );
      expect(run(DropkitDropBlock, { x }, { ...blockAttrs, perChannel: 1 })).toThrow(
        /perChannel: received 1; expected true or false/,
      );
      tf.dispose([x, flat]);
    }));
});
