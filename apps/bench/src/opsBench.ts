import { dropoutImpl, rateThreshold, resolveSeed, setComposedOnly } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchBackend } from './benchBackends.js';
import type { OpEntry } from './opsTable.js';
import { formatSize } from './sizes.js';
import { kernelTimeOnce, median, timeOnce } from './timing.js';

/** What one `ops` run measures. */
export interface OpsBenchConfig {
  /** Requested element counts. */
  readonly sizes: readonly number[];
  /** Timed runs per variant (after the warm-up); the median is reported. */
  readonly runs: number;
  /** Untimed runs per variant before the timed ones. */
  readonly warmup: number;
  /** The ops to time, in order. */
  readonly ops: readonly OpEntry[];
}

/** The timed variants of one (op, size) block. */
export type Variant =
  | 'fused'
  | 'fusedBackward'
  | 'composed'
  | 'composedBackward'
  | 'tfDropout'
  | 'tfDropoutBackward'
  | 'add';

/** The variants in the order they run within a round (and appear in the JSON). */
export const VARIANTS: readonly Variant[] = [
  'fused',
  'fusedBackward',
  'composed',
  'composedBackward',
  'tfDropout',
  'tfDropoutBackward',
  'add',
];

/** Bytes still allocated when the backward pass has gone through the op (see `backwardBytes`). */
export interface BackwardBytes {
  /** Bytes; null where that path cannot be differentiated in this process. */
  readonly bytes: number | null;
  /** bytes / (4 * elements): 1 means exactly one output-sized float32 tensor. */
  readonly perOutput: number | null;
  /** Set when the backward pass threw (a bug in that path): its message. */
  readonly error?: string;
}

/** The figures of one (op, size) block. Null means not applicable or not measurable here. */
export interface OpsBenchRow {
  readonly op: string;
  /** The requested size. */
  readonly size: number;
  /** The input shape actually used, and its element count. */
  readonly shape: readonly number[];
  readonly elements: number;
  readonly rate: number;
  readonly comparableToTfDropout: boolean;
  /** Timed runs per variant. */
  readonly runs: number;
  /** Every timed run, ms, per variant. */
  readonly samplesMs: Readonly<Record<Variant, readonly number[] | null>>;
  /** The median of each variant's samples, ms. */
  readonly medianMs: Readonly<Record<Variant, number | null>>;
  /** Quotients of the medians above, computed from exactly those numbers. */
  readonly ratios: {
    /** medianMs.tfDropout / medianMs.fused: the speed-up over tf.dropout. */
    readonly tfDropoutOverFused: number | null;
    /** medianMs.fused / medianMs.add: cost relative to the bandwidth reference. */
    readonly fusedOverAdd: number;
    /** medianMs.composed / medianMs.fused. */
    readonly composedOverFused: number;
    /** medianMs.composedBackward / medianMs.fusedBackward. */
    readonly composedOverFusedBackward: number;
  };
  /** 8 bytes per element (one float32 read, one written) / medianMs.fused, in GB/s (1e9). */
  readonly fusedGBps: number;
  /**
   * Median device time of the kernels of one call (`tf.time`), ms, where the backend reports it
   * (WebGPU): the fused op, `tf.dropout`'s kernels (its JavaScript random loop and upload are not
   * kernels) and `tf.add`. Null elsewhere.
   */
  readonly kernelMedianMs: KernelTimes | null;
  /**
   * dropout only: the median time of dropkit's TypeScript reference kernel (`dropoutImpl`) on the
   * same values in the same process, ms; null for the other ops.
   */
  readonly cpuKernelMs: number | null;
  /** GB/s from the kernel times: 8 bytes per element for all three (as the wall-time figure). */
  readonly kernelGBps: KernelTimes | null;
  /** Bytes allocated during the backward pass, per path. */
  readonly backwardBytes: {
    readonly fused: BackwardBytes;
    readonly composed: BackwardBytes;
    readonly tfDropout: BackwardBytes;
  };
  readonly note?: string;
}

async function timeCpuKernel(
  values: Float32Array,
  shape: readonly number[],
  rate: number,
  seed: number,
  config: OpsBenchConfig,
): Promise<number> {
  const attrs = {
    ...resolveSeed(seed),
    threshold: rateThreshold(rate),
    scale: 1 / (1 - rate),
    noiseShape: [...shape],
  };
  const samples: number[] = [];
  for (let r = 0; r < config.warmup + config.runs; r++) {
    const start = performance.now();
    dropoutImpl(values, shape, attrs);
    if (r >= config.warmup) samples.push(performance.now() - start);
    // Let pending work of the device backend settle between runs, as the tf variants do.
    await Promise.resolve();
  }
  return median(samples);
}

/** Kernel-time figures of the variants that have them. */
export interface KernelTimes {
  readonly fused: number | null;
  readonly tfDropout: number | null;
  readonly add: number | null;
}

const KERNEL_VARIANTS = ['fused', 'tfDropout', 'add'] as const;

async function kernelMedians(
  work: Partial<Record<Variant, () => tf.Tensor>>,
  config: OpsBenchConfig,
): Promise<KernelTimes> {
  const out: Record<string, number | null> = {};
  for (const v of KERNEL_VARIANTS) {
    const fn = work[v];
    if (fn === undefined) {
      out[v] = null;
      continue;
    }
    const samples: number[] = [];
    for (let r = 0; r < config.warmup + config.runs; r++) {
      const k = await kernelTimeOnce(fn);
      if (r >= config.warmup && k !== null) samples.push(k);
    }
    out[v] = samples.length > 0 ? median(samples) : null;
  }
  return out as unknown as KernelTimes;
}

function kernelBandwidth(k: KernelTimes, elements: number): KernelTimes {
  const gbps = (ms: number | null) => (ms === null ? null : (8 * elements) / (ms * 1e6));
  return { fused: gbps(k.fused), tfDropout: gbps(k.tfDropout), add: gbps(k.add) };
}

/** Thrown when an op's block leaves tensors behind: a benchmark that leaks measures the leak. */
export class TensorLeakError extends Error {
  constructor(op: string, size: number, before: number, after: number) {
    super(
      `${op} at ${formatSize(size)} leaked ${after - before} tensor(s): tf.memory().numTensors went from ${before} to ${after}.`,
    );
    this.name = 'TensorLeakError';
  }
}

/** Why `tf.dropout`'s backward pass is n/a when it is. */
export const TF_DROPOUT_BACKWARD_UNAVAILABLE =
  "tfjs-core registers no gradients for its own kernels, and tf.dropout's backward needs Multiply's; " +
  '@tensorflow/tfjs-core/dist/register_all_gradients cannot be imported by plain Node (extensionless ESM imports in a CommonJS package). ' +
  'dropkit ops register their own gradients, and the backward timings pass dy explicitly (tf.grad(f)(x, dy)), so no Sum gradient is needed.';

/** Whether tf.dropout can be differentiated in this process. */
export function tfDropoutHasGradient(): boolean {
  return tf.getGradient('Multiply') !== undefined;
}

function onComposedPath<T>(fn: () => T): T {
  setComposedOnly(true);
  try {
    return fn();
  } finally {
    setComposedOnly(false);
  }
}

// Probes on either side of an op record tf.memory() when the backward pass reaches them (as the
// "keeps no mask" test of @dropkit/ops does).
const seen: number[] = [];
const probe = tf.customGrad((t) => ({
  value: tf.clone(t as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => {
    seen.push(tf.memory().numBytes);
    return tf.clone(dy);
  },
}));

/**
 * Bytes allocated by an op's backward pass and still alive when it hands dx on: the reading of
 * tf.memory() between two identity probes around the op, less the same reading with no op
 * between them (the outer probe's own copy of dy).
 *
 * @param fn - the op; differentiated at x with the upstream gradient dy.
 * @param x - the input.
 * @param dy - the upstream gradient, of the op's output shape.
 */
export function backwardBytes(
  fn: (t: tf.Tensor) => tf.Tensor,
  x: tf.Tensor,
  dy: tf.Tensor,
): number {
  const reading = (f: (t: tf.Tensor) => tf.Tensor): number => {
    seen.length = 0;
    tf.tidy(() => {
      tf.grad((t: tf.Tensor) => probe(f(probe(t))))(x, dy);
    });
    if (seen.length !== 2) throw new Error(`expected 2 probe readings, got ${seen.length}`);
    return (seen[1] as number) - (seen[0] as number);
  };
  return reading(fn) - reading((t) => t);
}

/**
 * Times every op of the config at every size on the current backend: rounds of one run per
 * variant, interleaved so drifts of the host hit all variants alike; warm-up rounds first.
 *
 * @param config - {@link OpsBenchConfig}.
 * @param backend - how to force results.
 * @param progress - receives one line per (op, size) block as it starts.
 * @throws TensorLeakError when a block leaves tensors behind.
 */
export async function runOpsBench(
  config: OpsBenchConfig,
  backend: BenchBackend,
  progress: (line: string) => void,
): Promise<OpsBenchRow[]> {
  const rows: OpsBenchRow[] = [];
  const total = config.ops.length * config.sizes.length;
  const withTfGrad = tfDropoutHasGradient();
  let k = 0;
  for (const size of config.sizes) {
    for (const entry of config.ops) {
      k++;
      const shape = entry.inputShape(size);
      const elements = shape.reduce((a, b) => a * b, 1);
      progress(
        `[${k}/${total}] ${entry.name} ${formatSize(size)} (${elements.toLocaleString('en-US')} elements, shape [${shape.join(', ')}]) ...`,
      );
      const before = tf.memory().numTensors;
      rows.push(await benchBlock(entry, size, shape, elements, config, backend, withTfGrad));
      const after = tf.memory().numTensors;
      if (after !== before) throw new TensorLeakError(entry.name, size, before, after);
    }
  }
  return rows;
}

async function benchBlock(
  entry: OpEntry,
  size: number,
  shape: number[],
  elements: number,
  config: OpsBenchConfig,
  backend: BenchBackend,
  withTfGrad: boolean,
): Promise<OpsBenchRow> {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const companion = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const y = tf.randomNormal(shape, 0, 1, 'float32', 3);
  // A weighted sum of the output as the loss: its upstream gradient is these weights.
  const dy = tf.randomUniform(shape, 0.5, 1.5, 'float32', 4);
  const seed = 1234;
  const op = (t: tf.Tensor) => entry.run(t, seed, companion);
  const tfDropout = (t: tf.Tensor) => tf.dropout(t, entry.rate);
  try {
    const work: Partial<Record<Variant, () => tf.Tensor>> = {
      fused: () => op(x),
      fusedBackward: () => tf.grad(op)(x, dy),
      composed: () => onComposedPath(() => op(x)),
      composedBackward: () => onComposedPath(() => tf.grad(op)(x, dy)),
      add: () => tf.add(x, y),
    };
    if (entry.comparableToTfDropout) {
      work.tfDropout = () => tfDropout(x);
      if (withTfGrad) work.tfDropoutBackward = () => tf.grad(tfDropout)(x, dy);
    }
    const active = VARIANTS.filter((v) => work[v] !== undefined);
    const samples = new Map<Variant, number[]>(active.map((v) => [v, []]));
    for (let round = 0; round < config.warmup + config.runs; round++) {
      for (const v of active) {
        const ms = await timeOnce(work[v] as () => tf.Tensor, backend.force);
        if (round >= config.warmup) samples.get(v)?.push(ms);
      }
    }
    const kernelMedianMs = backend.kernelTimes ? await kernelMedians(work, config) : null;
    // dropout's TypeScript reference kernel on the same values, in this process: what the wasm
    // and webgpu kernels are compared with, and on cpu what the SIMD kernel saves over it.
    const cpuKernelMs =
      entry.name === 'dropout'
        ? await timeCpuKernel((await x.data()) as Float32Array, shape, entry.rate, seed, config)
        : null;
    const samplesMs = Object.fromEntries(
      VARIANTS.map((v) => [v, samples.get(v) ?? null]),
    ) as Record<Variant, number[] | null>;
    const medianMs = Object.fromEntries(
      VARIANTS.map((v) => {
        const s = samples.get(v);
        return [v, s ? median(s) : null];
      }),
    ) as Record<Variant, number | null>;
    const m = (v: Variant) => medianMs[v] as number;
    const outputBytes = 4 * elements;
    // The probes feed the op an intermediate tensor, as a model does; a path that cannot be
    // differentiated that way is reported with its error rather than ending the run.
    const bytes = (measure: (() => number) | null): BackwardBytes => {
      if (measure === null) return { bytes: null, perOutput: null };
      try {
        const b = measure();
        return { bytes: b, perOutput: b / outputBytes };
      } catch (e) {
        return { bytes: null, perOutput: null, error: (e as Error).message };
      }
    };
    const row: OpsBenchRow = {
      op: entry.name,
      size,
      shape,
      elements,
      rate: entry.rate,
      comparableToTfDropout: entry.comparableToTfDropout,
      runs: config.runs,
      samplesMs,
      medianMs,
      ratios: {
        tfDropoutOverFused: medianMs.tfDropout === null ? null : medianMs.tfDropout / m('fused'),
        fusedOverAdd: m('fused') / m('add'),
        composedOverFused: m('composed') / m('fused'),
        composedOverFusedBackward: m('composedBackward') / m('fusedBackward'),
      },
      fusedGBps: (8 * elements) / (m('fused') * 1e6),
      cpuKernelMs,
      kernelMedianMs,
      kernelGBps: kernelMedianMs === null ? null : kernelBandwidth(kernelMedianMs, elements),
      backwardBytes: {
        fused: bytes(() => backwardBytes(op, x, dy)),
        composed: bytes(() => onComposedPath(() => backwardBytes(op, x, dy))),
        tfDropout: bytes(
          entry.comparableToTfDropout && withTfGrad ? () => backwardBytes(tfDropout, x, dy) : null,
        ),
      },
      ...(entry.note === undefined ? {} : { note: entry.note }),
    };
    return row;
  } finally {
    tf.dispose([x, companion, y, dy]);
  }
}
