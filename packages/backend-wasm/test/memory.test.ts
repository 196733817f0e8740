import {
  alphaDropout,
  createGenerator,
  DropkitDropout,
  DropkitProbDropBlock,
  dropBlock2d,
  dropout,
  dropoutImpl,
  gaussianDropout,
  probDropBlock2d,
  probDropBlockImpl,
  rateThreshold,
  resolveSeed,
  standout,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import { type WasmHeapBackend, wasmMemoryOf } from '../src/wasmHeap.js';
import { expectBitIdentical, randomValues, rng, runKernel } from './helpers.js';

let memory: WebAssembly.Memory;

beforeAll(async () => {
  await initWasm();
  memory = wasmMemoryOf(tf.backend() as unknown as WasmHeapBackend);
});

/** One round of every kernel, broadcast paths and gradients included, inside a tidy. */
function everyKernel(g: ReturnType<typeof createGenerator>): void {
  tf.tidy(() => {
    const x = tf.randomNormal([3, 9, 7, 5], 0, 1, 'float32', 1);
    dropout(x, { rate: 0.3, seed: g });
    dropout(x, { rate: 0.3, seed: g, noiseShape: [3, 1, 1, 5] });
    gaussianDropout(x, { rate: 0.3, seed: g });
    alphaDropout(x, { rate: 0.3, seed: g });
    alphaDropout(x, { rate: 0.3, seed: g, noiseShape: [3, 9, 1, 1] });
    standout(x, x, { seed: g });
    dropBlock2d(x, { rate: 0.2, blockSize: 3, seed: g });
    probDropBlock2d(x, { rate: 0.2, blockSize: 2, dataFormat: 'NCHW', perChannel: false, seed: g });
    tf.grad((t: tf.Tensor) => tf.sum(probDropBlock2d(t, { rate: 0.2, blockSize: 3, seed: g })))(x);
    tf.grad((t: tf.Tensor) => tf.sum(standout(t, t, { seed: g })))(x);
  });
}

describe('the wasm kernels and memory', () => {
  it(
    'leak no tensor, data buffer or heap memory over 1,000 rounds of every kernel',
    () =>
      expectNoLeaks(() => {
        const g = createGenerator(1);
        for (let i = 0; i < 10; i++) everyKernel(g);
        // Scratch buffers come from tfjs's malloc and go back to it: a leak would grow the heap.
        const heapBytes = memory.buffer.byteLength;
        for (let i = 0; i < 1000; i++) everyKernel(g);
        expect(memory.buffer.byteLength).toBe(heapBytes);
      }),
    300_000,
  );

  it('write nothing outside their output: tensors around odd-sized outputs stay intact', () =>
    expectNoLeaks(() => {
      const next = rng(41);
      const neighbours: { t: tf.Tensor; values: Float32Array }[] = [];
      const outputs: tf.Tensor[] = [];
      for (let i = 0; i < 200; i++) {
        const values = randomValues(next, 1 + (i % 7));
        neighbours.push({ t: tf.tensor(values), values });
        const x = tf.fill([1 + ((i * 13) % 45)], 2);
        // Small allocations interleave with the kernels' outputs and scratch on the heap.
        outputs.push(dropout(x, { rate: 0.5, seed: i }));
        outputs.push(dropout(x, { rate: 0.5, seed: i, noiseShape: [1] }));
        outputs.push(gaussianDropout(x, { rate: 0.5, seed: i }));
        outputs.push(alphaDropout(x, { rate: 0.5, seed: i }));
        outputs.push(standout(x, x, { seed: i }));
        x.dispose();
      }
      for (const { t, values } of neighbours) expectBitIdentical(t.dataSync(), values);
      tf.dispose([...neighbours.map((v) => v.t), ...outputs]);
    }));

  it(
    'stay right across memory growth, between calls and inside a call',
    () =>
      expectNoLeaks(() => {
        const values = randomValues(rng(42), 1003);
        const attrs = {
          threshold: rateThreshold(0.4),
          scale: Math.fround(1 / 0.6),
          noiseShape: [1003],
          ...resolveSeed(5),
        };
        const expected = dropoutImpl(values, [1003], attrs);
        const x = tf.tensor(values);
        const before = tf.engine().runKernel(DropkitDropout, { x }, attrs as never) as tf.Tensor;
        // A tensor larger than the whole current heap forces the memory to grow.
        const size0 = memory.buffer.byteLength;
        const big = tf.zeros([size0 / 4 + 1_000_000]);
        expect(memory.buffer.byteLength).toBeGreaterThan(size0);
        expectBitIdentical(before.dataSync(), expected, 'output made before the growth');
        const after = runKernel(DropkitDropout, { x: { values, shape: [1003] } }, attrs);
        expectBitIdentical(after, expected, 'output made after the growth');
        tf.dispose([x, before, big]);

        // ProbDropBlock with one channel and 1 x 1 blocks needs 9 bytes of scratch per element
        // (uniforms, thresholds, mask bytes), more than x and its output together: its scratch
        // allocation grows the memory after makeOutput, which detaches any earlier view.
        const backend = tf.backend() as unknown as WasmHeapBackend;
        const makeOutput = backend.makeOutput;
        let afterOutput = 0;
        backend.makeOutput = (shape, dtype) => {
          const out = makeOutput.call(backend, shape, dtype);
          afterOutput = memory.buffer.byteLength;
          return out;
        };
        try {
          const side = Math.ceil(Math.sqrt(memory.buffer.byteLength / 4));
          const shape = [1, side, side, 1];
          const map = randomValues(rng(43), side * side);
          const blockAttrs = {
            rate: 0.3,
            blockSize: 1,
            dataFormat: 'NHWC' as const,
            perChannel: true,
            ...resolveSeed(6),
          };
          const y = runKernel(DropkitProbDropBlock, { x: { values: map, shape } }, blockAttrs);
          expect(memory.buffer.byteLength, 'grown by the scratch').toBeGreaterThan(afterOutput);
          expectBitIdentical(y, probDropBlockImpl(map, map, shape, blockAttrs), 'across growth');
        } finally {
          backend.makeOutput = makeOutput;
        }
      }),
    300_000,
  );
});
