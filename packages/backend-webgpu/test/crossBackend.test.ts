import {
  type DropBlockAttrs,
  dropBlock2d,
  dropBlockImpl,
  dropout,
  dropoutImpl,
  rateThreshold,
  resolveSeed,
} from '@dropkit/ops';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { expectBitIdentical, registerWebGpuTestBackend, rng, testValues } from './helpers.js';

registerWebGpuTestBackend();

describeWithBackends('the same seed gives the same output on every backend', ({ backend, it }) => {
  it('dropout and dropBlock2d equal the cpu reference implementations', async () => {
    expect(tf.getBackend()).toBe(backend);
    const xs = testValues(rng(61), 2 * 7 * 6 * 3, false);
    await expectNoLeaks(async () => {
      const x = tf.tensor(xs, [2, 7, 6, 3]);
      const y = dropout(x, { rate: 0.4, seed: 12, noiseShape: [2, 1, 1, 3] });
      const z = dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 13 });
      const [ys, zs] = [await y.data(), await z.data()];
      tf.dispose([x, y, z]);
      const key = (s: number) => resolveSeed(s);
      expectBitIdentical(
        ys,
        dropoutImpl(xs, [2, 7, 6, 3], {
          threshold: rateThreshold(0.4),
          scale: Math.fround(1 / 0.6),
          noiseShape: [2, 1, 1, 3],
          ...key(12),
        }),
      );
      const attrs: DropBlockAttrs = {
        rate: 0.3,
        blockSize: 3,
        dataFormat: 'NHWC',
        perChannel: true,
        ...key(13),
      };
      expectBitIdentical(zs, dropBlockImpl(xs, [2, 7, 6, 3], attrs));
    });
  });
});
