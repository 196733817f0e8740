import type { SeedAttrs } from '@dropkit/ops';
import { registerTestBackend } from '@dropkit/test-utils';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { initWebGpu, type WebGpuAdapterReport } from '../src/index.js';
import type { ProgramUniform, WebGpuProgram } from '../src/programs/webGpuProgram.js';

/** Adds `webgpu` to the backends `describeWithBackends` runs on, set up through `initWebGpu`. */
export function registerWebGpuTestBackend(): void {
  registerTestBackend('webgpu', async () => {
    await initWebGpu({ setBackend: false });
    return true;
  });
}

/**
 * Switches the file's tests to the WebGPU backend (Dawn on lavapipe here) before they run, and
 * fails any test that leaves a tensor or a data buffer behind.
 */
export function useWebGpu(): { readonly report: () => WebGpuAdapterReport } {
  let report: WebGpuAdapterReport | undefined;
  let before: tf.MemoryInfo | undefined;
  beforeAll(async () => {
    report = await initWebGpu();
  });
  beforeEach(() => {
    before = tf.memory();
  });
  afterEach(() => {
    const after = tf.memory();
    expect(after.numTensors, 'tensors left behind').toBe(before?.numTensors);
    expect(after.numDataBuffers, 'data buffers left behind').toBe(before?.numDataBuffers);
  });
  return {
    report: () => {
      if (!report) throw new Error('initWebGpu has not run');
      return report;
    },
  };
}

/** A small seeded generator (mulberry32), so every random case is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export const randInt = (r: () => number, lo: number, hi: number): number =>
  lo + Math.floor(r() * (hi - lo + 1));

/** A key with every word random, high words included (streams and seeds above 2^32). */
export function randomKey(r: () => number): SeedAttrs {
  const word = () => Math.floor(r() * 2 ** 32);
  return { seedLo: word(), seedHi: word() & 0x1fffff, streamLo: word(), streamHi: word() };
}

/**
 * Standard normal values with a few specials mixed in (0, -0, +-Infinity, NaN, large and tiny
 * normal numbers), never subnormals: WGSL lets a GPU flush those to zero.
 */
export function testValues(r: () => number, n: number, specials = true): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = Math.max(r(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r());
  }
  if (specials && n >= 8) {
    const pick = [
      0,
      -0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      3e38,
      -1e-37,
    ];
    for (const v of pick) out[randInt(r, 0, n - 1)] = v;
  }
  return out;
}

/** Asserts two float32 arrays are equal bit for bit, except that any NaN matches any NaN. */
export function expectBitIdentical(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  context = '',
): void {
  expect(actual.length, `${context} length`).toBe(expected.length);
  const a = new Uint32Array(Float32Array.from(actual).buffer);
  const e = new Uint32Array(Float32Array.from(expected).buffer);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i]) continue;
    if (Number.isNaN(actual[i]) && Number.isNaN(expected[i])) continue;
    expect.fail(`${context} element ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Runs a kernel through the engine, as the ops do. */
export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Reads a tensor's values and disposes it (`dataSync` needs OffscreenCanvas on webgpu). */
export async function take(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/**
 * Runs a test-only WGSL program on the active WebGPU backend and returns its output as raw
 * 32-bit words (the bits of whatever the program wrote).
 */
export async function runProbe(
  program: WebGpuProgram,
  inputs: readonly tf.Tensor[],
  dtype: 'int32' | 'float32',
  uniforms: ProgramUniform[] = [],
): Promise<Uint32Array> {
  const backend = tf.backend() as WebGPUBackend;
  const info = backend.runWebGPUProgram(program, inputs.slice(), dtype, uniforms);
  const out = tf.engine().makeTensorFromTensorInfo(info);
  const values = await out.data();
  out.dispose();
  return new Uint32Array(
    values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
  );
}
