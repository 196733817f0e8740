import {
  alphaDropout,
  dropBlock2d,
  dropout,
  gaussianDropout,
  probDropBlock2d,
  standout,
} from '@dropkit/ops';
import { expectClose } from '@dropkit/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { rng, testValues, useWebGpu } from './helpers.js';

useWebGpu();

interface GradCase {
  readonly name: string;
  readonly kernel: string;
  readonly shape: number[];
  /** The op under test on x (and on a second input where it has one). */
  readonly op: (x: tf.Tensor, a: tf.Tensor) => tf.Tensor;
  readonly tolerance: number;
  readonly twoInputs?: boolean;
  /** The kernel the gradient runs, when it is not the forward one. */
  readonly backwardKernel?: string;
}

const CASES: GradCase[] = [
  {
    name: 'dropout',
    kernel: 'DropkitDropout',
    shape: [3, 5, 7],
    op: (x) => dropout(x, { rate: 0.3, seed: 3 }),
    tolerance: 0,
  },
  {
    name: 'dropout with a noise shape',
    kernel: 'DropkitDropout',
    shape: [4, 3, 6],
    op: (x) => dropout(x, { rate: 0.5, seed: 4, noiseShape: [4, 1, 6] }),
    tolerance: 0,
  },
  {
    name: 'gaussianDropout',
    kernel: 'DropkitGaussianDropout',
    shape: [5, 9],
    op: (x) => gaussianDropout(x, { rate: 0.4, seed: 5 }),
    tolerance: 1e-5,
  },
  {
    name: 'alphaDropout',
    kernel: 'DropkitAlphaDropout',
    shape: [6, 7],
    op: (x) => alphaDropout(x, { rate: 0.2, seed: 6 }),
    tolerance: 0,
    backwardKernel: 'DropkitDropout',
  },
  {
    name: 'standout',
    kernel: 'DropkitStandout',
    shape: [4, 9],
    op: (x, a) => standout(x, a, { alpha: 2, seed: 7 }),
    tolerance: 0,
    twoInputs: true,
  },
  {
    name: 'dropBlock2d',
    kernel: 'DropkitDropBlock',
    shape: [2, 9, 8, 3],
    op: (x) => dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 8 }),
    tolerance: 0,
  },
  {
    name: 'probDropBlock2d',
    kernel: 'DropkitProbDropBlock',
    shape: [2, 3, 10, 9],
    op: (x) => probDropBlock2d(x, { rate: 0.3, blockSize: 2, seed: 9, dataFormat: 'NCHW' }),
    tolerance: 0,
  },
];

/** d/dx and d/da of sum(op(x, a) * w) on the active backend, from plain arrays. */
async function gradients(c: GradCase, xs: Float32Array, as: Float32Array, ws: Float32Array) {
  const x = tf.tensor(xs, c.shape);
  const a = tf.tensor(as, c.shape);
  const w = tf.tensor(ws, c.shape);
  const f = (t: tf.Tensor, u: tf.Tensor) => tf.sum(tf.mul(c.op(t, u), w));
  // Only standout has a second differentiable input; tf.grads rejects an unused one.
  const [dx, da] = c.twoInputs
    ? (tf.grads(f)([x, a]) as [tf.Tensor, tf.Tensor])
    : [tf.grad((t: tf.Tensor) => f(t, a))(x), tf.zerosLike(x)];
  const out = { dx: (await dx.data()) as Float32Array, da: (await da.data()) as Float32Array };
  tf.dispose([x, a, w, dx, da]);
  return out;
}

describe('gradients on webgpu', () => {
  for (const c of CASES) {
    it(`${c.name}: tf.grad equals the cpu backend's, and the backward pass runs the WGSL kernel`, async () => {
      const r = rng(c.name.length);
      const n = c.shape.reduce((p, q) => p * q, 1);
      const [xs, as, ws] = [
        testValues(r, n, false),
        testValues(r, n, false),
        testValues(r, n, false),
      ];
      await tf.setBackend('cpu');
      const cpu = await gradients(c, xs, as, ws);
      await tf.setBackend('webgpu');
      const profile = await tf.profile(() => gradients(c, xs, as, ws));
      const gpu = (await profile.result) as typeof cpu;
      expectClose(gpu.dx, cpu.dx, { atol: c.tolerance, rtol: c.tolerance });
      expectClose(gpu.da, cpu.da, { atol: c.tolerance, rtol: c.tolerance });
      // Forward and backward both run fused kernels: no composed fallback on this backend.
      const ran = profile.kernels.map((k) => k.name);
      const expected = [c.kernel, c.backwardKernel ?? c.kernel].sort();
      expect(ran.filter((k) => k.startsWith('Dropkit')).sort()).toEqual(expected);
      expect(Array.from(gpu.dx).some((v) => v === 0 || c.name === 'gaussianDropout')).toBe(true);
    });
  }
});
