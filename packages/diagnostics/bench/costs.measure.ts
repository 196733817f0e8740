import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import {
  type Batch,
  condensation,
  crossEntropyFromLogits,
  distanceFromInit,
  gradientDirectionStats,
  gradientNoiseStats,
  gradientNorm,
  hessianTopEigenvalue,
  hessianTrace,
  objectiveFromModel,
  sharpness,
  snapshotParameters,
} from '../src/index.js';

/**
 * What each measurement costs on a small MLP (784-128-64-10, ReLU, dropout 0.1) on the cpu
 * backend, and how the exact and finite-difference Hessian-vector products compare on it.
 * Run: npx vitest run --config bench/vitest.config.ts bench/ (in packages/diagnostics).
 */
function mlp(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 128,
        inputShape: [784],
        activation: 'relu',
        name: 'h1',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.dropout({ rate: 0.1 }),
      tfl.layers.dense({
        units: 64,
        activation: 'relu',
        name: 'h2',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
      tfl.layers.dense({
        units: 10,
        name: 'logits',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
  return model;
}

function batchOf(n: number, seed: number): Batch {
  return tf.tidy(() => ({
    xs: tf.randomNormal([n, 784], 0, 1, 'float32', seed),
    ys: tf.cast(
      tf.oneHot(tf.cast(tf.floor(tf.randomUniform([n], 0, 10, 'float32', seed + 1)), 'int32'), 10),
      'float32',
    ),
  }));
}

async function time<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  const ms = performance.now() - t0;
  console.log(
    `${label.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms  ${JSON.stringify(r, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(5)) : v)).slice(0, 150)}`,
  );
  return r;
}

it('measures', async () => {
  await tf.setBackend('cpu');
  const model = mlp();
  // Cross-entropy on logits through logSoftmax: double backprop works (with the tape reordered).
  const exactFriendly = objectiveFromModel(model, { loss: crossEntropyFromLogits });
  // tf.losses.softmaxCrossEntropy (a customGrad): exact products come out wrong, auto must fall back.
  const customGradCe = objectiveFromModel(model, {
    loss: (y, z) => tf.losses.softmaxCrossEntropy(y, z, undefined, undefined, tf.Reduction.NONE),
  });
  const init = snapshotParameters(model);
  const b32 = batchOf(32, 1);
  const b64 = batchOf(64, 2);
  const b256 = batchOf(256, 3);
  const minis = Array.from({ length: 16 }, (_, i) => batchOf(64, 10 + 2 * i));
  const full = Array.from({ length: 32 }, (_, i) => batchOf(64, 100 + 2 * i));
  const tensorsBefore = tf.memory().numTensors;
  console.log(
    `tfjs ${tf.version_core}, backend ${tf.getBackend()}, params ${exactFriendly.params.reduce((s, p) => s + p.size, 0)}`,
  );
  await time('gradientNorm, batch 32', () => gradientNorm(exactFriendly, b32));
  await time('gradientNorm, batch 64', () => gradientNorm(exactFriendly, b64));
  await time('distanceFromInit', () => distanceFromInit(exactFriendly, init));
  await time('gradientDirectionStats, K 16 x 64, full 2048', () =>
    gradientDirectionStats(exactFriendly, { batches: minis, fullData: full, k: 16 }),
  );
  await time('gradientNoiseStats, B 32 (32 passes of batch 1)', () =>
    gradientNoiseStats(exactFriendly, b32),
  );
  await time('condensation, h1 (128 neurons)', () =>
    condensation(model.getLayer('h1') as unknown as tfl.layers.Layer),
  );
  await time('hessianTopEigenvalue, batch 256, exact', () =>
    hessianTopEigenvalue(exactFriendly, b256, { method: 'exact' }),
  );
  await time('hessianTopEigenvalue, batch 256, finite-difference (max 30 it.)', () =>
    hessianTopEigenvalue(exactFriendly, b256, { method: 'finite-difference', maxIterations: 30 }),
  );
  await time('hessianTopEigenvalue, batch 256, auto', () =>
    hessianTopEigenvalue(exactFriendly, b256),
  );
  await time('hessianTopEigenvalue, batch 256, auto, tf.losses.softmaxCE (30 it.)', () =>
    hessianTopEigenvalue(customGradCe, b256, { maxIterations: 30 }),
  );
  await time('hessianTrace, batch 256, auto', () => hessianTrace(exactFriendly, b256));
  await time('sharpness, batch 256, eps 1e-3, 10 steps', () => sharpness(exactFriendly, b256));
  console.log(`tensors left behind by the measurements: ${tf.memory().numTensors - tensorsBefore}`);
});
