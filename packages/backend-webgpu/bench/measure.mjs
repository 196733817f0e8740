// Kernel bandwidth of dropkit's WGSL kernels next to tf.add, from tf.time kernel times (Dawn's
// timestamp quantization off). Not a test: numbers on lavapipe (software Vulkan) say nothing
// about a GPU. Build first (npx tsc -p tsconfig.build.json), then:
//   node bench/measure.mjs [elements ...] [--reps N]
// e.g. node bench/measure.mjs 16777216 67108864 on a GPU machine.
import {
  alphaDropout,
  dropBlock2d,
  dropout,
  gaussianDropout,
  probDropBlock2d,
  standout,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { initWebGpu } from '../dist/index.js';

const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 10;
const sizes = args.filter((a, i) => !a.startsWith('--') && i !== repsAt + 1).map(Number);
if (sizes.length === 0) sizes.push(1 << 20, 1 << 22);

const report = await initWebGpu();
console.log(
  `adapter: ${report.vendor} ${report.architecture} ${report.description} (${report.software ? 'software' : 'hardware'}); timestamp-query ${report.timestampQuery}`,
);

/** Median kernel time in ms of `f` (which returns a tensor, disposed after). */
async function kernelMs(f) {
  for (let i = 0; i < 3; i++) {
    const y = f();
    await y.data();
    y.dispose();
  }
  const times = [];
  for (let i = 0; i < reps; i++) {
    let y;
    const t = await tf.time(() => {
      y = f();
    });
    await y.data();
    y.dispose();
    times.push(t.kernelMs);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

for (const n of sizes) {
  // A feature-map shape for DropBlock with about n elements: [b, 56, 56, 64].
  const b = Math.max(1, Math.round(n / (56 * 56 * 64)));
  const x = tf.randomUniform([n], -1, 1, 'float32', 1);
  const a = tf.randomNormal([n], 0, 1, 'float32', 2);
  const rowsOf64 = tf.reshape(x, [n / 64, 64]);
  const map = tf.randomUniform([b, 56, 56, 64], -1, 1, 'float32', 3);
  const mapBytes = map.size * 8;
  const rows = [
    ['tf.add', 12 * n, () => tf.add(x, a)],
    ['dropout', 8 * n, () => dropout(x, { rate: 0.1, seed: 1 })],
    [
      'dropout, noise [n/64, 1]',
      8 * n,
      () => dropout(rowsOf64, { rate: 0.1, seed: 1, noiseShape: [n / 64, 1] }),
    ],
    ['alphaDropout', 8 * n, () => alphaDropout(x, { rate: 0.1, seed: 1 })],
    ['gaussianDropout', 8 * n, () => gaussianDropout(x, { rate: 0.1, seed: 1 })],
    ['standout', 12 * n, () => standout(x, a, { seed: 1 })],
    [
      `dropBlock2d [${map.shape}] bs 7`,
      mapBytes,
      () => dropBlock2d(map, { rate: 0.1, blockSize: 7, seed: 1 }),
    ],
    [
      `probDropBlock2d [${map.shape}] bs 7`,
      mapBytes,
      () => probDropBlock2d(map, { rate: 0.1, blockSize: 7, seed: 1 }),
    ],
  ];
  let addGbs = 0;
  console.log(`\n${n} elements (${reps} runs, median kernel time):`);
  for (const [name, bytes, f] of rows) {
    const ms = await kernelMs(f);
    const gbs = bytes / (ms * 1e6);
    if (name === 'tf.add') addGbs = gbs;
    console.log(
      `  ${name.padEnd(36)} ${ms.toFixed(3).padStart(9)} ms ${gbs.toFixed(1).padStart(8)} GB/s  ${(gbs / addGbs).toFixed(2)}x tf.add`,
    );
  }
  tf.dispose([x, a, rowsOf64, map]);
}
