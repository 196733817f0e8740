// Side-by-side timings of the fused wasm kernels at 4M float32 elements, in one process:
//   node scripts/bench.mjs [--runs 15] [--warmup 3] [--size 4194304] [--baseline <kernels>]
// Each round times every contender once, in an order rotated from round to round, so that load
// on the machine hits all of them alike; the tables report per-contender medians and minima over
// the rounds after the warm-up ones, as wall time and as this process's CPU time (steadier on a
// shared machine; it counts the dropout kernel's helper thread too). "+ dataSync" contenders
// read the whole output back: what a consumer of the values pays on top of the op (apps/bench's
// ops command times the call alone, the value being on the heap when it returns).
//
// --baseline takes another build of this package's kernel module, as a .wasm file or as a
// generated src/generated/kernelsWasm.ts (e.g. `git show
// HEAD:packages/backend-wasm/src/generated/kernelsWasm.ts > /tmp/base.ts`). It is instantiated
// on the same tfjs memory, checked to give the same bytes, and its dropout kernel is timed
// against this one's, alone and through the op with the output read back.
import { readFileSync } from 'node:fs';
import {
  alphaDropout,
  alphaDropoutImpl,
  createGenerator,
  DropkitDropout,
  type DropoutAttrs,
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
import { type KernelExports, kernelInstance } from '../src/kernelInstance.js';
import { dropoutWasmConfig } from '../src/kernels/DropkitDropout.js';
import { activeKernelThreads, DEFAULT_MIN_ELEMENTS } from '../src/kernelThreads.js';
import {
  float32Offset,
  float32Output,
  type WasmHeapBackend,
  wasmMemoryOf,
} from '../src/wasmHeap.js';

interface Contender {
  readonly name: string;
  /** One call; returns what to release after the clock stops (tensors, or nothing). */
  readonly run: () => tf.TensorContainer;
  /** The DropkitDropout kernel to register before the call (this package's by default). */
  readonly kernel?: tf.KernelConfig;
  /** false: the dropout kernel's helper threads sit the call out (the calling thread alone). */
  readonly helpers?: false;
}

interface Row {
  readonly name: string;
  readonly wallMs: number;
  readonly wallMinMs: number;
  readonly cpuMs: number;
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

let registered: tf.KernelConfig = dropoutWasmConfig;

function useKernel(config: tf.KernelConfig): void {
  if (config === registered) return;
  tf.unregisterKernel(DropkitDropout, 'wasm');
  tf.registerKernel(config);
  registered = config;
}

function measure(contenders: readonly Contender[], warmup: number, runs: number): Row[] {
  const wall = contenders.map((): number[] => []);
  const cpu = contenders.map((): number[] => []);
  for (let round = 0; round < warmup + runs; round++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (j + round) % contenders.length;
      const c = contenders[i] as Contender;
      useKernel(c.kernel ?? dropoutWasmConfig);
      const pool = activeKernelThreads();
      if (pool !== null && c.helpers === false) pool.minElements = Number.POSITIVE_INFINITY;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const result = c.run();
      const ms = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      if (pool !== null) pool.minElements = DEFAULT_MIN_ELEMENTS;
      // As apps/bench does: the output is released after the clock stops.
      if (result !== undefined) tf.dispose(result);
      if (round >= warmup) {
        wall[i]?.push(ms);
        cpu[i]?.push((used.user + used.system) / 1000);
      }
    }
  }
  useKernel(dropoutWasmConfig);
  return contenders.map((c, i) => ({
    name: c.name,
    wallMs: median(wall[i] as number[]),
    wallMinMs: Math.min(...(wall[i] as number[])),
    cpuMs: median(cpu[i] as number[]),
  }));
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A kernel module's bytes from a .wasm file or a generated kernelsWasm.ts. */
function moduleBytes(path: string): Uint8Array<ArrayBuffer> {
  const file = readFileSync(path);
  if (path.endsWith('.wasm')) return new Uint8Array(file);
  const lines = [...file.toString('utf8').matchAll(/'([A-Za-z0-9+/=]+)',/g)].map((m) => m[1]);
  return new Uint8Array(Buffer.from(lines.join(''), 'base64'));
}

const n = Number(arg('size') ?? 4 * 1024 * 1024);
const runs = Number(arg('runs') ?? 15);
const warmup = Number(arg('warmup') ?? 3);
const baselinePath = arg('baseline');
const setup = await initWasm();
const backend = tf.backend() as unknown as WasmHeapBackend;
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
// contenders also reduce the output and read the sum back, the end-to-end measure of anchors.md;
// the "+ dataSync" ones read the whole output back, the measure of apps/bench.
const withSum = (f: () => tf.Tensor) => () => tf.tidy(() => tf.sum(f()).dataSync()[0]);
const withData = (f: () => tf.Tensor) => () => {
  const y = tf.tidy(f);
  y.dataSync();
  return y;
};
const fused = () => dropout(x, { rate, seed: g });
const contenders: Contender[] = [
  { name: 'fused dropout (dropkit, wasm)', run: () => tf.tidy(fused) },
  { name: 'fused dropout, calling thread only', run: () => tf.tidy(fused), helpers: false },
  { name: 'tf.dropout (wasm)', run: () => tf.tidy(() => tf.dropout(x, rate)) },
  { name: 'dropoutImpl (cpu reference, JS)', run: () => void dropoutImpl(values, [n], attrs) },
  { name: 'fused dropout + sum', run: withSum(fused) },
  { name: 'tf.dropout + sum', run: withSum(() => tf.dropout(x, rate)) },
  { name: 'fused dropout + dataSync', run: withData(fused) },
  { name: 'tf.dropout + dataSync', run: withData(() => tf.dropout(x, rate)) },
];

// Scratch output on the heap for the kernel-only contenders.
const scratch = tf.zeros([n]);
if (baselinePath !== undefined) {
  const memory = wasmMemoryOf(backend);
  const module = new WebAssembly.Module(moduleBytes(baselinePath));
  const base = new WebAssembly.Instance(module, { env: { memory } })
    .exports as unknown as KernelExports;
  const ours = kernelInstance(backend);
  const xp = float32Offset(backend, 'x', x);
  const op = float32Offset(backend, 'scratch', scratch);
  const call = (k: KernelExports, count: number) =>
    k.dropout(xp, op, count, attrs.threshold, attrs.scale, 3, 0, 5, 0, 0);
  // Both builds must give the same bytes (a partial last group included) before timing them.
  const read = () => new Uint8Array(wasmMemoryOf(backend).buffer, op, 4 * n).slice();
  call(base, n - 3);
  const expected = read();
  call(ours, n - 3);
  const got = read();
  const differs = got.findIndex((v, i) => v !== expected[i]);
  if (differs >= 0) throw new Error(`--baseline: the two modules differ at byte ${differs}`);
  const baseKernel: tf.KernelConfig = {
    kernelName: DropkitDropout,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs: a }) => {
      const hb = b as unknown as WasmHeapBackend;
      const xi = inputs.x as tf.TensorInfo;
      const da = a as unknown as DropoutAttrs;
      const count = xi.shape.reduce((p, d) => p * d, 1);
      const xo = float32Offset(hb, 'x', xi);
      const key = [da.seedLo, da.seedHi, da.streamLo, da.streamHi] as const;
      return float32Output(hb, xi.shape, (o) =>
        base.dropout(xo, o, count, da.threshold, da.scale, ...key, 0),
      );
    },
  };
  contenders.push(
    { name: 'fused dropout + dataSync, baseline', run: withData(fused), kernel: baseKernel },
    { name: 'dropout kernel alone', run: () => void call(ours, n) },
    { name: 'dropout kernel alone, baseline', run: () => void call(base, n) },
  );
}
const dropoutRows = measure(contenders, warmup, runs);

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
      name: 'gaussianDropout, calling thread only',
      run: () => tf.tidy(() => gaussianDropout(x, { rate, seed: g })),
      helpers: false,
    },
    {
      name: 'gaussianDropoutImpl (JS)',
      run: () => void gaussianDropoutImpl(values, { stddev: gStd, ...resolveSeed(3) }),
    },
    { name: 'alphaDropout fused', run: () => tf.tidy(() => alphaDropout(x, { rate, seed: g })) },
    {
      name: 'alphaDropout, calling thread only',
      run: () => tf.tidy(() => alphaDropout(x, { rate, seed: g })),
      helpers: false,
    },
    {
      name: 'alphaDropoutImpl (JS)',
      run: () =>
        void alphaDropoutImpl(values, [n], { ...attrs, a: 0.8, b: 0.5, alphaP: -1.7580993 }),
    },
    { name: 'standout fused', run: () => tf.tidy(() => standout(x, x, { seed: g })) },
    {
      name: 'standout, calling thread only',
      run: () => tf.tidy(() => standout(x, x, { seed: g })),
      helpers: false,
    },
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
tf.dispose([x, x4, scratch]);

const fmt = (rows: readonly Row[]) =>
  rows
    .map(
      (r) =>
        `  ${r.name.padEnd(36)} ${r.wallMs.toFixed(2).padStart(8)} ms wall (min ${r.wallMinMs.toFixed(2).padStart(7)}) ${r.cpuMs.toFixed(2).padStart(8)} ms cpu`,
    )
    .join('\n');
const row = (name: string) => [...dropoutRows, ...otherRows].find((r) => r.name === name) as Row;
const ratio = (a: string, b: string, key: 'wallMs' | 'wallMinMs' | 'cpuMs') =>
  (row(a)[key] / row(b)[key]).toFixed(2);
const ratios = (a: string, b: string) =>
  `${ratio(a, b, 'wallMs')}x (min ${ratio(a, b, 'wallMinMs')}x, cpu ${ratio(a, b, 'cpuMs')}x)`;
console.log(
  `@dropkit/backend-wasm bench: ${n} float32 elements, median of ${runs} rounds after ${warmup} warm-up; tfjs simd ${setup.simd}, threads ${setup.threads}; kernel helper threads ${setup.kernelThreads} (${setup.kernelThreadsNote})`,
);
console.log(fmt(dropoutRows));
console.log(
  `  tf.dropout / fused: ${ratios('tf.dropout (wasm)', 'fused dropout (dropkit, wasm)')}; + dataSync ${ratios('tf.dropout + dataSync', 'fused dropout + dataSync')}; + sum ${ratios('tf.dropout + sum', 'fused dropout + sum')}`,
);
console.log(
  `  dropoutImpl / fused: ${ratios('dropoutImpl (cpu reference, JS)', 'fused dropout (dropkit, wasm)')}`,
);
console.log(
  `  calling thread only / with helpers: ${ratios('fused dropout, calling thread only', 'fused dropout (dropkit, wasm)')}`,
);
if (baselinePath !== undefined) {
  console.log(
    `  baseline / this build: kernel alone ${ratios('dropout kernel alone, baseline', 'dropout kernel alone')}; + dataSync ${ratios('fused dropout + dataSync, baseline', 'fused dropout + dataSync')}`,
  );
}
console.log(fmt(otherRows));
for (const op of ['alphaDropout', 'gaussianDropout', 'standout']) {
  console.log(
    `  ${op}: calling thread only / with helpers ${ratios(`${op}, calling thread only`, `${op} fused`)}`,
  );
}
