import { InvalidArgumentError } from '@dropkit/core';
import {
  alphaDropout,
  alphaDropoutImpl,
  dropout,
  dropoutImpl,
  gaussianDropout,
  rateThreshold,
  resolveSeed,
  type SeedAttrs,
  standout,
  standoutImpl,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasm, stopKernelThreads } from '../src/index.js';
import {
  compiledKernelModule,
  type KernelExports,
  kernelInstance,
  kernelModuleBytes,
} from '../src/kernelInstance.js';
import {
  activeKernelThreads,
  CHUNK_BLOCKS,
  DEFAULT_MIN_ELEMENTS,
  KernelThreads,
} from '../src/kernelThreads.js';
import { float32Offset, heapAccess, type WasmHeapBackend } from '../src/wasmHeap.js';
import { expectBitIdentical, intIn, randomKey, randomValues, rng } from './helpers.js';

const words = (k: SeedAttrs) => [k.seedLo, k.seedHi, k.streamLo, k.streamHi] as const;

/** The reference output of dropout on these values (the mask in x's shape). */
function reference(values: Float32Array, rate: number, key: SeedAttrs): Float32Array {
  const attrs = {
    threshold: rateThreshold(rate),
    scale: Math.fround(1 / (1 - rate)),
    noiseShape: [values.length],
    ...key,
  };
  return dropoutImpl(values, [values.length], attrs);
}

/**
 * Runs `body` with the pool cut into chunks of 144 blocks (576 elements), so that small calls
 * have many; the pool's default chunk size and minimum call size are restored afterwards.
 */
function withSmallChunks<T>(pool: KernelThreads, body: () => T): T {
  pool.chunkBlocks = 36 * 4;
  try {
    return body();
  } finally {
    pool.minElements = DEFAULT_MIN_ELEMENTS;
    pool.chunkBlocks = CHUNK_BLOCKS;
  }
}

describe('the kernels the helper threads use', () => {
  const memory = new WebAssembly.Memory({ initial: 40 });
  const k = new WebAssembly.Instance(new WebAssembly.Module(kernelModuleBytes(false)), {
    env: { memory },
  }).exports as unknown as KernelExports;
  const next = rng(2024);

  it('dropout from block `first` on: chunks at multiples of 36 elements give the whole tensor', () => {
    for (let trial = 0; trial < 30; trial++) {
      const n = intIn(next, 1, 3000);
      const rate = next() * 0.95;
      const key = randomKey(next);
      const values = randomValues(next, n);
      const heap = new Float32Array(memory.buffer);
      const x = 64;
      const out = x + 4 * n + 64;
      heap.set(values, x / 4);
      heap.fill(7, out / 4, out / 4 + n + 8);
      // Cut into random chunks of whole groups of nine blocks (36 elements).
      for (let start = 0; start < n; ) {
        const len = Math.min(n - start, 36 * intIn(next, 1, 12));
        const o = 4 * start;
        k.dropout(
          x + o,
          out + o,
          len,
          rateThreshold(rate),
          Math.fround(1 / (1 - rate)),
          ...words(key),
          start / 4,
        );
        start += len;
      }
      const got = new Float32Array(memory.buffer, out, n + 8).slice();
      expectBitIdentical(got.subarray(0, n), reference(values, rate, key));
      // Nothing written past the output.
      expect([...got.subarray(n)]).toEqual(new Array(8).fill(7));
    }
  });

  it('gaussianDropout and standout from an offset: chunks give the whole tensor', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = intIn(next, 1, 3000);
      const key = randomKey(next);
      const values = randomValues(next, n);
      const pre = randomValues(next, n);
      const stddev = Math.fround(0.2 + next());
      const alpha = 0.5 + 2 * next();
      const beta = next() - 0.5;
      const x = 64;
      const a = x + 4 * n + 64;
      const out = a + 4 * n + 64;
      const heap = new Float32Array(memory.buffer);
      heap.set(values, x / 4);
      heap.set(pre, a / 4);
      // The whole tensor in one call, then in chunks of whole groups (144 elements: 9 blocks
      // of standout's groups and 16-element groups of Gaussian dropout alike).
      k.gaussianDropout(x, out, n, stddev, ...words(key), 0);
      const whole = new Float32Array(memory.buffer, out, n).slice();
      heap.fill(9, out / 4, out / 4 + n + 8);
      for (let start = 0; start < n; ) {
        const len = Math.min(n - start, 144 * intIn(next, 1, 5));
        k.gaussianDropout(x + 4 * start, out + 4 * start, len, stddev, ...words(key), start / 16);
        start += len;
      }
      const chunked = new Float32Array(memory.buffer, out, n + 8).slice();
      expectBitIdentical(chunked.subarray(0, n), whole);
      expect([...chunked.subarray(n)]).toEqual(new Array(8).fill(9));
      for (let start = 0; start < n; ) {
        const len = Math.min(n - start, 144 * intIn(next, 1, 5));
        const o = 4 * start;
        k.standout(x + o, a + o, out + o, len, alpha, beta, ...words(key), start / 36);
        start += len;
      }
      expectBitIdentical(
        new Float32Array(memory.buffer, out, n).slice(),
        standoutImpl(values, pre, { alpha, beta, ...key }),
      );
    }
  });

  it('dropBits marks exactly the dropped elements, from any block on, in whole groups of nine', () => {
    for (let trial = 0; trial < 30; trial++) {
      const first = 9 * intIn(next, 0, 500);
      const blocks = intIn(next, 1, 700);
      const rate = next();
      const key = randomKey(next);
      const bits = 256;
      const room = Math.ceil(blocks / 9) * 9;
      const bytes = new Uint8Array(memory.buffer);
      bytes.fill(0xee, bits, bits + room + 16);
      k.dropBits(bits, first, blocks, rateThreshold(rate), ...words(key));
      // The mask of the whole range from the reference: dropout of ones is 0 where dropped.
      const ones = new Float32Array(4 * (first + blocks)).fill(1);
      const ref = reference(ones, rate, key);
      const got = new Uint8Array(memory.buffer, bits, room + 16).slice();
      for (let b = 0; b < blocks; b++) {
        let expected = 0;
        for (let w = 0; w < 4; w++) if (ref[4 * (first + b) + w] === 0) expected |= 1 << w;
        if (got[b] !== expected) {
          throw new Error(`block ${first + b}: bits ${got[b]}, expected ${expected}`);
        }
      }
      expect([...got.subarray(room)]).toEqual(new Array(16).fill(0xee));
    }
  });

  it('alphaDropout from an offset and applyAlphaBits give the reference bit for bit', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = intIn(next, 1, 3000);
      const rate = 0.05 + 0.9 * next();
      const key = randomKey(next);
      const values = randomValues(next, n);
      const attrs = {
        threshold: rateThreshold(rate),
        a: Math.fround(0.5 + next()),
        b: Math.fround(next() - 0.5),
        alphaP: Math.fround(-1.7580993408473766),
        noiseShape: [n],
        ...key,
      };
      const expected = alphaDropoutImpl(values, [n], attrs);
      const bits = 64;
      const x = bits + Math.ceil(n / 36) * 9 + 64;
      const xa = x + (16 - (x % 16));
      const out = xa + 4 * n + 64;
      const heap = new Float32Array(memory.buffer);
      heap.set(values, xa / 4);
      const { threshold, a, b, alphaP } = attrs;
      // In chunks of whole 32-element groups.
      for (let start = 0; start < n; ) {
        const len = Math.min(n - start, 32 * intIn(next, 1, 12));
        const o = 4 * start;
        k.alphaDropout(xa + o, out + o, len, threshold, a, b, alphaP, ...words(key), start / 32);
        start += len;
      }
      expectBitIdentical(new Float32Array(memory.buffer, out, n).slice(), expected);
      heap.fill(5, out / 4, out / 4 + n + 8);
      k.dropBits(bits, 0, Math.ceil(n / 4), threshold, ...words(key));
      k.applyAlphaBits(xa, out, bits, n, a, b, alphaP);
      const got = new Float32Array(memory.buffer, out, n + 8).slice();
      expectBitIdentical(got.subarray(0, n), expected);
      expect([...got.subarray(n)]).toEqual(new Array(8).fill(5));
    }
  });

  it('applyDropBits gives the fused kernel bit for bit, tails included, and writes nothing past n', () => {
    for (let trial = 0; trial < 30; trial++) {
      const n = intIn(next, 1, 2000);
      const rate = next() * 0.9;
      const key = randomKey(next);
      const values = randomValues(next, n);
      const blocks = Math.ceil(n / 4);
      const bits = 64;
      const x = bits + Math.ceil(blocks / 9) * 9 * 1 + 64;
      const xa = x + (16 - (x % 16));
      const out = xa + 4 * n + 64;
      k.dropBits(bits, 0, blocks, rateThreshold(rate), ...words(key));
      const heap = new Float32Array(memory.buffer);
      heap.set(values, xa / 4);
      heap.fill(3, out / 4, out / 4 + n + 8);
      k.applyDropBits(xa, out, bits, n, Math.fround(1 / (1 - rate)));
      const got = new Float32Array(memory.buffer, out, n + 8).slice();
      expectBitIdentical(got.subarray(0, n), reference(values, rate, key));
      expect([...got.subarray(n)]).toEqual(new Array(8).fill(3));
    }
  });
});

describe('dropout with helper threads on the wasm backend', () => {
  beforeAll(async () => {
    const setup = await initWasm({ kernelThreads: 1 });
    expect(setup.kernelThreads).toBe(1);
    expect(setup.kernelThreadsNote).toBe('kernelThreads: 1');
  });
  afterAll(() => stopKernelThreads());

  it('matches the reference bit for bit on 50 random sizes and rates, many chunks each', () =>
    expectNoLeaks(() => {
      const pool = activeKernelThreads() as KernelThreads;
      expect(pool).not.toBeNull();
      const next = rng(99);
      const before = { ...pool.stats };
      pool.minElements = 1;
      withSmallChunks(pool, () => {
        const run = (n: number, trial: number) => {
          const rate = [0.1, 0.5, 0.9, next()][trial % 4] as number;
          const values = randomValues(next, n);
          const seed = intIn(next, 0, 2 ** 40);
          const got = tf.tidy(() =>
            dropout(tf.tensor1d(values), { rate, seed }).dataSync(),
          ) as Float32Array;
          const key = resolveSeed(seed);
          expectBitIdentical(got, reference(values, rate, key));
        };
        for (let trial = 0; trial < 50; trial++) run(intIn(next, 1, 200_000), trial);
        // The helper must have done chunks: the applied bits are what is under test. A busy
        // machine can keep it asleep through small calls; larger ones give it time to wake.
        for (
          let extra = 0;
          extra < 10 && pool.stats.helperChunks === before.helperChunks;
          extra++
        ) {
          run(2_000_000 + extra, extra);
        }
        expect(pool.stats.helperChunks).toBeGreaterThan(before.helperChunks);
        expect(pool.stats.callerChunks).toBeGreaterThan(before.callerChunks);
      });
    }));

  it('gives the same forward and gradient as one thread from 2^18 elements on', () =>
    expectNoLeaks(() => {
      const pool = activeKernelThreads() as KernelThreads;
      const n = DEFAULT_MIN_ELEMENTS + 5;
      const values = randomValues(rng(5), n);
      const dy = randomValues(rng(6), n);
      const compute = () =>
        tf.tidy(() => {
          const x = tf.tensor1d(values);
          const f = (t: tf.Tensor) => dropout(t, { rate: 0.3, seed: 8 });
          return [f(x).dataSync(), tf.grad(f)(x, tf.tensor1d(dy)).dataSync()] as Float32Array[];
        });
      const jobs = pool.stats.jobs;
      const threaded = compute();
      // The forward call, and tf.grad's forward and backward calls.
      expect(pool.stats.jobs).toBe(jobs + 3);
      pool.minElements = Number.POSITIVE_INFINITY;
      const single = compute();
      pool.minElements = DEFAULT_MIN_ELEMENTS;
      expect(pool.stats.jobs).toBe(jobs + 3);
      expectBitIdentical(threaded[0] as Float32Array, single[0] as Float32Array);
      expectBitIdentical(threaded[1] as Float32Array, single[1] as Float32Array);
    }));

  it('gives alpha dropout the values of one thread bit for bit, many chunks each', () =>
    expectNoLeaks(() => {
      const pool = activeKernelThreads() as KernelThreads;
      const next = rng(271);
      const before = pool.stats.helperChunks;
      pool.minElements = 1;
      withSmallChunks(pool, () => {
        for (let trial = 0; trial < 20; trial++) {
          const n = trial < 2 ? 1_000_000 + trial : intIn(next, 1, 200_000);
          const rate = 0.05 + 0.9 * next();
          const values = randomValues(next, n);
          const seed = intIn(next, 0, 2 ** 40);
          const got = tf.tidy(() =>
            alphaDropout(tf.tensor1d(values), { rate, seed }).dataSync(),
          ) as Float32Array;
          pool.minElements = Number.POSITIVE_INFINITY;
          const alone = tf.tidy(() =>
            alphaDropout(tf.tensor1d(values), { rate, seed }).dataSync(),
          ) as Float32Array;
          pool.minElements = 1;
          expectBitIdentical(got, alone);
        }
        expect(pool.stats.helperChunks).toBeGreaterThan(before);
      });
    }));

  it('gives Gaussian dropout and standout the values of one thread, over several windows', () =>
    expectNoLeaks(() => {
      const pool = activeKernelThreads() as KernelThreads;
      const next = rng(314);
      const before = { ...pool.stats };
      // 576-element chunks, so a window (113 chunks) is 65,088 elements and the larger calls
      // below take several.
      withSmallChunks(pool, () => {
        for (let trial = 0; trial < 16; trial++) {
          const n = trial < 2 ? 200_000 + trial : intIn(next, 1, 150_000);
          const values = randomValues(next, n);
          const pre = randomValues(next, n);
          const seed = intIn(next, 0, 2 ** 40);
          const rate = 0.1 + 0.8 * next();
          const alpha = 0.5 + next();
          const both = () =>
            tf.tidy(() => {
              const x = tf.tensor1d(values);
              return [
                gaussianDropout(x, { rate, seed }).dataSync(),
                standout(x, tf.tensor1d(pre), { alpha, beta: -0.1, seed }).dataSync(),
              ] as Float32Array[];
            });
          pool.minElements = 1;
          const helped = both();
          pool.minElements = Number.POSITIVE_INFINITY;
          const alone = both();
          expectBitIdentical(helped[0] as Float32Array, alone[0] as Float32Array);
          expectBitIdentical(helped[1] as Float32Array, alone[1] as Float32Array);
          const key = resolveSeed(seed);
          expectBitIdentical(
            helped[1] as Float32Array,
            standoutImpl(values, pre, { alpha, beta: -0.1, ...key }),
          );
        }
        expect(pool.stats.jobs).toBeGreaterThan(before.jobs + 32);
        expect(pool.stats.helperChunks).toBeGreaterThan(before.helperChunks);
      });
    }));

  it('runs on the calling thread alone with kernelThreads: 0, and restarts the helpers on request', async () => {
    expect((await initWasm({ kernelThreads: 0 })).kernelThreads).toBe(0);
    expect(activeKernelThreads()).toBeNull();
    const n = 1 << 19;
    const values = randomValues(rng(7), n);
    const alone = tf.tidy(() => dropout(tf.tensor1d(values), { rate: 0.5, seed: 1 }).dataSync());
    expect((await initWasm({ kernelThreads: 1 })).kernelThreads).toBe(1);
    const jobs = activeKernelThreads()?.stats.jobs;
    const helped = tf.tidy(() => dropout(tf.tensor1d(values), { rate: 0.5, seed: 1 }).dataSync());
    expect(activeKernelThreads()?.stats.jobs).toBe((jobs as number) + 1);
    expectBitIdentical(helped as Float32Array, alone as Float32Array);
    await expect(initWasm({ kernelThreads: 65 })).rejects.toThrow(InvalidArgumentError);
  });
});

/**
 * A kernel module whose dropBits never returns: it imports a shared env.memory as the real one
 * does, and loops forever. A helper running it claims a chunk and never finishes it.
 */
function hangingModule(): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];
  const section = (id: number, payload: number[]) => [id, payload.length, ...payload];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    // One type: eight i32 parameters, no result.
    ...section(1, [1, 0x60, 8, ...new Array(8).fill(0x7f), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x03, 0x00, 0x80, 0x80, 0x04]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('dropBits'), 0x00, 0]),
    // Body: no locals; loop; br 0; end; end.
    ...section(10, [1, 7, 0, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]),
  ]);
}

describe('a helper that stops answering', () => {
  it('does not hold up a call; the next call waits for it at most stallMs, then stops the pool', async () => {
    await initWasm({ kernelThreads: 0 });
    const backend = tf.backend() as unknown as WasmHeapBackend;
    const k = kernelInstance(backend);
    expect(WebAssembly.validate(hangingModule())).toBe(true);
    const pool = await KernelThreads.start(1, new WebAssembly.Module(hangingModule()));
    pool.stallMs = 100;
    const n = 1 << 22;
    const values = randomValues(rng(3), n);
    const x = tf.tensor1d(values);
    const out = tf.zeros([n]);
    try {
      const key = { seedLo: 4, seedHi: 0, streamLo: 9, streamHi: 0 };
      // The helper claims a chunk as soon as it wakes and never finishes it: the caller runs
      // that chunk itself, and the next call gives up on the helper after stallMs. A busy
      // machine may wake the helper only after the caller has done every chunk, so the call is
      // repeated until the stall shows.
      for (let attempt = 0; attempt < 6 && pool.usable; attempt++) {
        const start = performance.now();
        pool.dropout(
          heapAccess(backend, k),
          float32Offset(backend, 'x', x),
          float32Offset(backend, 'out', out),
          n,
          rateThreshold(0.4),
          Math.fround(1 / 0.6),
          words(key),
        );
        expect(performance.now() - start).toBeLessThan(2000);
        expectBitIdentical(out.dataSync() as Float32Array, reference(values, 0.4, key));
      }
      expect(pool.usable).toBe(false);
      expect(pool.stats.stolenChunks).toBeGreaterThan(0);
    } finally {
      pool.stop();
      tf.dispose([x, out]);
    }
    // The real module compiles for the next pool as before.
    expect(await compiledKernelModule(true)).toBeInstanceOf(WebAssembly.Module);
  });
});
