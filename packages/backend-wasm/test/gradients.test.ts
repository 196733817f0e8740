import {
  alphaDropout,
  DropkitAlphaDropout,
  DropkitDropBlock,
  DropkitDropout,
  DropkitGaussianDropout,
  DropkitProbDropBlock,
  DropkitStandout,
  dropBlock2d,
  dropout,
  dropPath,
  gaussianDropout,
  probDropBlock2d,
  spatialDropout2d,
  standout,
} from '@dropkit/ops';
import { expectClose, expectNoLeaks } from '@dropkit/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import { onBackend } from './helpers.js';

beforeAll(async () => {
  await initWasm();
});

/**
 * One op under test: its kernel, the kernel its gradient runs (the same one, or dropout's for
 * alpha dropout), and the op applied to x (and to a pre-activation for standout).
 */
interface Case {
  readonly kernel: string;
  readonly backward?: string;
  readonly shape: number[];
  readonly op: (x: tf.Tensor, other: tf.Tensor) => tf.Tensor;
  /** Whether the op also takes the second input (standout's pre-activation). */
  readonly binary?: boolean;
}

const cases: Record<string, Case> = {
  dropout: {
    kernel: DropkitDropout,
    shape: [5, 37],
    op: (x) => dropout(x, { rate: 0.4, seed: 1 }),
  },
  'dropout, broadcast': {
    kernel: DropkitDropout,
    shape: [3, 4, 5, 6],
    op: (x) => dropout(x, { rate: 0.4, seed: 2, noiseShape: [3, 1, 5, 1] }),
  },
  spatialDropout2d: {
    kernel: DropkitDropout,
    shape: [2, 5, 5, 6],
    op: (x) => spatialDropout2d(x, { rate: 0.5, seed: 3 }),
  },
  dropPath: {
    kernel: DropkitDropout,
    shape: [16, 9],
    op: (x) => dropPath(x, { rate: 0.5, seed: 4 }),
  },
  gaussianDropout: {
    kernel: DropkitGaussianDropout,
    shape: [7, 13],
    op: (x) => gaussianDropout(x, { rate: 0.3, seed: 5 }),
  },
  alphaDropout: {
    kernel: DropkitAlphaDropout,
    backward: DropkitDropout,
    shape: [6, 11],
    op: (x) => alphaDropout(x, { rate: 0.3, seed: 6 }),
  },
  'alphaDropout, broadcast': {
    kernel: DropkitAlphaDropout,
    backward: DropkitDropout,
    shape: [6, 11],
    op: (x) => alphaDropout(x, { rate: 0.3, seed: 7, noiseShape: [6, 1] }),
  },
  standout: {
    kernel: DropkitStandout,
    shape: [9, 10],
    op: (x, a) => standout(x, a, { alpha: 1.5, beta: -0.2, seed: 8 }),
    binary: true,
  },
  dropBlock2d: {
    kernel: DropkitDropBlock,
    shape: [2, 9, 11, 3],
    op: (x) => dropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 9 }),
  },
  'dropBlock2d, NCHW shared': {
    kernel: DropkitDropBlock,
    shape: [2, 3, 10, 8],
    op: (x) =>
      dropBlock2d(x, { rate: 0.3, blockSize: 4, dataFormat: 'NCHW', perChannel: false, seed: 10 }),
  },
  probDropBlock2d: {
    kernel: DropkitProbDropBlock,
    shape: [2, 8, 9, 4],
    op: (x) => probDropBlock2d(x, { rate: 0.3, blockSize: 3, seed: 11 }),
  },
};

/** d/dx (and d/da) of sum(op(x, a) * w) at fixed random x, a, w, as plain arrays. */
function gradients({ shape, op, binary }: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const a = tf.randomNormal(shape, 0, 1, 'float32', 2);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 3);
    const grads = binary
      ? tf.grads((t: tf.Tensor, u: tf.Tensor) => tf.sum(tf.mul(op(t, u), w)))([x, a])
      : [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t, a), w)))(x)];
    return grads.map((g) => g.dataSync() as Float32Array);
  });
}

describe('gradients on wasm', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: tf.grads equal the cpu backend's`, async () =>
      expectNoLeaks(async () => {
        const wasm = gradients(c);
        const cpu = await onBackend('cpu', () => gradients(c));
        for (const [i, g] of wasm.entries())
          expectClose(g, cpu[i] as Float32Array, { atol: 1e-6, rtol: 1e-6 });
        // Not a vacuous comparison: some gradient flows, and every op but Gaussian dropout drops.
        expect(wasm[0]?.some((v) => v !== 0)).toBe(true);
        expect(wasm[0]?.some((v) => v === 0)).toBe(c.kernel !== DropkitGaussianDropout);
      }));
  }

  it('the backward pass reruns the fused kernel on dy: no random, floor or mask kernels', async () =>
    expectNoLeaks(async () => {
      for (const c of Object.values(cases)) {
        const x = tf.randomNormal(c.shape, 0, 1, 'float32', 1);
        const a = tf.randomNormal(c.shape, 0, 1, 'float32', 2);
        const profile = await tf.profile(() => {
          const g = tf.grad((t: tf.Tensor) => tf.sum(c.op(t, a)))(x);
          g.dispose();
        });
        const names = profile.kernels.map((k) => k.name);
        const backward = c.backward ?? c.kernel;
        expect(names.filter((n) => n === c.kernel || n === backward)).toEqual([c.kernel, backward]);
        expect(names.filter((n) => n.startsWith('Random') || n === 'Floor')).toEqual([]);
        tf.dispose([x, a]);
      }
    }));
});
