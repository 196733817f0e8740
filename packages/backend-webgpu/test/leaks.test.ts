import {
  alphaDropout,
  createGenerator,
  dropBlock2d,
  dropout,
  gaussianDropout,
  probDropBlock2d,
  standout,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { useWebGpu } from './helpers.js';

useWebGpu();

const g = createGenerator(1);
const SHAPE = [2, 6, 6, 4];
const ODD = [2, 5, 5, 3]; // 150 elements: the scalar paths
const OPS: [string, number[], (x: tf.Tensor) => tf.Tensor][] = [
  ['dropout', SHAPE, (x) => dropout(x, { rate: 0.3, seed: g })],
  ['dropout (broadcast)', ODD, (x) => dropout(x, { rate: 0.3, seed: g, noiseShape: [2, 1, 1, 3] })],
  ['gaussianDropout', ODD, (x) => gaussianDropout(x, { rate: 0.3, seed: g })],
  ['alphaDropout', SHAPE, (x) => alphaDropout(x, { rate: 0.3, seed: g })],
  ['standout', SHAPE, (x) => standout(x, x, { seed: g })],
  ['dropBlock2d', SHAPE, (x) => dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: g })],
  ['probDropBlock2d', ODD, (x) => probDropBlock2d(x, { rate: 0.3, blockSize: 2, seed: g })],
];

describe('no leaks on webgpu', () => {
  for (const [name, shape, op] of OPS) {
    it(`${name}: 1,000 calls and 100 gradients leave no tensor, data buffer or GPU buffer behind`, async () => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
      const backend = tf.backend() as WebGPUBackend;
      // Warm up once so the backend's pools and pipeline cache are filled before counting.
      const warm = op(x);
      await warm.data();
      warm.dispose();
      tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(op(t)))(x));
      // A read of a fresh GPU result submits the queue, after which pending buffers are released.
      const flush = async () => {
        const t = tf.add(x, 1);
        await t.data();
        t.dispose();
      };
      await flush();
      const buffersBefore = backend.bufferManager.getNumUsedBuffers();
      await expectNoLeaks(async () => {
        for (let i = 0; i < 1000; i++) {
          const y = op(x);
          if (i % 100 === 99) {
            expect((await y.data()).length).toBe(y.size);
            tf.tidy(() => {
              tf.grad((t: tf.Tensor) => tf.sum(op(t)))(x);
            });
          }
          y.dispose();
        }
        for (let i = 0; i < 90; i++) {
          tf.tidy(() => {
            tf.grad((t: tf.Tensor) => tf.sum(op(t)))(x);
          });
        }
        await flush();
      });
      expect(backend.bufferManager.getNumUsedBuffers()).toBe(buffersBefore);
      x.dispose();
    });
  }
});
