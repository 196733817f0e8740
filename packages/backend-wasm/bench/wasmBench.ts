// Side-by-side timings of the fused wasm kernels at 4M float32 elements, in one process:
//   node scripts/bench.mjs [--runs 15] [--warmup 3] [--size 4194304]
// Each round times every contender once, in turn, so that load on the machine hits all of them
// alike; the table reports per-contender medians over the rounds after the warm-up ones, as wall
// time and as this process's CPU time (steadier on a shared machine).
import {
  alphaDropout,
  alphaDropoutImpl,
  createGenerator,
  dropBlock2d,
  dropBlockImpl,
  dropout,
  dropoutImpl,
  gaussianDropout,
  gaussianDropoutImpl,
  rateThreshold,
  resolveSeed,
  standout,
  standoutImpl,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { initWasm } from '../src/index.js';

interface Contender {
  readonly name: string;
  /** One call; returns what to release after the clock stops (tensors, or nothing). */
  readonly run: () => tf.TensorContainer;
}

interface Sample {
  wall: number[];
  cpu: number[];
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function measure(contenders: readonly Contender[], warmup: number, runs: number) {
  const samples = new Map<string, Sample>(contenders.map((c) => [c.name, { wall: [], cpu: [] }]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const c of contenders) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const result = c.run();
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      // As apps/bench does: the output is released after the clock stops.
      if (result !== undefined) tf.dispose(result);
      if (round >= warmup) {
        const s = samples.get(c.name) as Sample;
        s.wall.push(wall);
        s.cpu.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  return contenders.map((c) => {
    const s = samples.get(c.name) as Sample;
    return { name: c.name, wallMs: median(s.wall), cpuMs: median(s.cpu) };
  });
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const n = arg('size', 4 * 1024 * 1024);
const runs = arg('runs', 15);
const warmup = arg('warmup', 3);
const setup = await initWasm();
const x = tf.randomNormal([n], 0, 1, 'float32', 1);
const values = x.dataSync() as Float32Array;
const g = createGenerator(7);
const rate = 0.5;
const attrs = {
  threshold: rateThreshold(rate),
  scale: Math.fround(1 / (1 - rate)),
  noiseShape: [n],
  ...resolveSeed(3),
};
// The ops run synchronously on wasm: when a call returns, its output is written. The "+ sum"
// contenders also reduce the output and read the sum back, the end-to-end measure of anchors.md.
const withSum = (f: () => tf.Tensor) => () => tf.tidy(() => tf.sum(f()).dataSync()[0]);
const dropoutRows = measure(
  [
    {
      name: 'fused dropout (dropkit, wasm)',
      run: () => tf.tidy(() => dropout(x, { rate, seed: g })),
    },
    { name: 'tf.dropout (wasm)', run: () => tf.tidy(() => tf.dropout(x, rate)) },
    { name: 'dropoutImpl (cpu reference, JS)', run: () => void dropoutImpl(values, [n], attrs) },
    { name: 'fused dropout + sum', run: withSum(() => dropout(x, { rate, seed: g })) },
    { name: 'tf.dropout + sum', run: withSum(() => tf.dropout(x, rate)) },
  ],
  warmup,
  runs,
);

const x4 = tf.reshape(x, [16, 128, 128, n / (16 * 128 * 128)]);
const blockAttrs = {
  rate: 0.1,
  blockSize: 7,
  dataFormat: 'NHWC' as const,
  perChannel: true,
  ...resolveSeed(3),
};
const gStd = Math.fround(Math.sqrt(rate / (1 - rate)));
const otherRows = measure(
  [
    {
      name: 'gaussianDropout fused',
      run: () => tf.tidy(() => gaussianDropout(x, { rate, seed: g })),
    },
    {
      name: 'gaussianDropoutImpl (JS)',
      run: () => void gaussianDropoutImpl(values, { stddev: gStd, ...resolveSeed(3) }),
    },
    { name: 'alphaDropout fused', run: () => tf.tidy(() => alphaDropout(x, { rate, seed: g })) },
    {
      name: 'alphaDropoutImpl (JS)',
      run: () =>
        void alphaDropoutImpl(values, [n], { ...attrs, a: 0.8, b: 0.5, alphaP: -1.7580993 }),
    },
    { name: 'standout fused', run: () => tf.tidy(() => standout(x, x, { seed: g })) },
    {
      name: 'standoutImpl (JS)',
      run: () => void standoutImpl(values, values, { alpha: 1, beta: 0, ...resolveSeed(3) }),
    },
    {
      name: 'dropBlock2d fused (bs 7)',
      run: () => tf.tidy(() => dropBlock2d(x4, { ...blockAttrs, seed: g })),
    },
    { name: 'dropBlockImpl (JS)', run: () => void dropBlockImpl(values, x4.shape, blockAttrs) },
  ],
  warmup,
  runs,
);

const fmt = (rows: { name: string; wallMs: number; cpuMs: number }[]) =>
  rows
    .map(
      (r) =>
        `  ${r.name.padEnd(34)} ${r.wallMs.toFixed(2).padStart(9)} ms wall ${r.cpuMs.toFixed(2).padStart(9)} ms cpu`,
    )
    .join('\n');
const ratio = (a: string, b: string, key: 'wallMs' | 'cpuMs') => {
  const ra = dropoutRows.find((r) => r.name === a) as { wallMs: number; cpuMs: number };
  const rb = dropoutRows.find((r) => r.name === b) as { wallMs: number; cpuMs: number };
  return (ra[key] / rb[key]).toFixed(1);
};
console.log(
  `@dropkit/backend-wasm bench: ${n} float32 elements, median of ${runs} rounds after ${warmup} warm-up; tfjs simd ${setup.simd}, threads ${setup.threads}`,
);
console.log(fmt(dropoutRows));
for (const key of ['wallMs', 'cpuMs'] as const) {
  console.log(
    `  ${key === 'wallMs' ? 'wall' : 'cpu '}: tf.dropout / fused = ${ratio('tf.dropout (wasm)', 'fused dropout (dropkit, wasm)', key)}x, with sum ${ratio('tf.dropout + sum', 'fused dropout + sum', key)}x; dropoutImpl / fused = ${ratio('dropoutImpl (cpu reference, JS)', 'fused dropout (dropkit, wasm)', key)}x`,
  );
}
console.log(fmt(otherRows));
