import {
  type DropBlockAttrs,
  DropkitDropBlock,
  DropkitProbDropBlock,
  dropBlock2d,
  dropBlockImpl,
  probDropBlock2d,
  probDropBlockImpl,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../src/index.js';
import {
  expectBitIdentical,
  intIn,
  onBackend,
  randomKey,
  randomValues,
  rng,
  runKernel,
} from './helpers.js';

beforeAll(async () => {
  await initWasm();
});

/**
 * Case c of a sweep: layout, shared or per-channel mask and block-size parity cycle through all
 * eight combinations; maps are mostly non-square, sizes random.
 */
function blockCase(next: () => number, c: number) {
  const dataFormat = c % 2 === 0 ? ('NHWC' as const) : ('NCHW' as const);
  const perChannel = (c >> 1) % 2 === 0;
  const even = (c >> 2) % 2 === 0;
  const n = intIn(next, 1, 3);
  const h = intIn(next, 2, 14);
  const w = intIn(next, 2, 14);
  const ch = intIn(next, 1, 7);
  const side = Math.min(h, w);
  let blockSize = intIn(next, 1, side);
  if ((blockSize % 2 === 0) !== even) blockSize = blockSize > 1 ? blockSize - 1 : Math.min(2, side);
  const shape = dataFormat === 'NHWC' ? [n, h, w, ch] : [n, ch, h, w];
  const attrs: DropBlockAttrs = {
    rate: next() < 0.1 ? 0.99 : next() * 0.6,
    blockSize,
    dataFormat,
    perChannel,
    ...randomKey(next),
  };
  return { shape, attrs, values: randomValues(next, n * h * w * ch) };
}

describe('DropkitDropBlock on wasm', () => {
  it('equals the cpu reference bit for bit on 64 cases: NHWC / NCHW, shared / per channel, odd / even blocks', () =>
    expectNoLeaks(() => {
      const next = rng(31);
      const seen = new Set<string>();
      for (let c = 0; c < 64; c++) {
        const { shape, attrs, values } = blockCase(next, c);
        seen.add(`${attrs.dataFormat} ${attrs.perChannel} ${attrs.blockSize % 2}`);
        const got = runKernel(DropkitDropBlock, { x: { values, shape } }, attrs);
        expectBitIdentical(
          got,
          dropBlockImpl(values, shape, attrs),
          `case ${c} ${JSON.stringify({ shape, attrs })}`,
        );
      }
      expect(seen.size).toBe(8);
    }));

  it('handles a block as large as the map (one seed: all or nothing) and rates near 1', () =>
    expectNoLeaks(() => {
      const next = rng(32);
      for (const [[n, h, w, c], blockSize, rate] of [
        [[2, 5, 9, 3], 5, 0.3],
        [[1, 7, 7, 2], 7, 0.5],
        [[2, 4, 6, 3], 4, 0.99],
        [[1, 3, 3, 1], 1, 0.99],
      ] as const) {
        for (const dataFormat of ['NHWC', 'NCHW'] as const) {
          const shape = dataFormat === 'NHWC' ? [n, h, w, c] : [n, c, h, w];
          const attrs = { rate, blockSize, dataFormat, perChannel: false, ...randomKey(next) };
          // No zero inputs, so that a zero output means dropped.
          const values = randomValues(next, n * h * w * c).map((v) => (v === 0 ? 1 : v));
          const got = runKernel(DropkitDropBlock, { x: { values, shape } }, attrs);
          expectBitIdentical(
            got,
            dropBlockImpl(values, shape, attrs),
            `[${shape}] bs ${blockSize}`,
          );
          if (blockSize === h && blockSize === w) {
            // One seed per sample (shared mask): each sample is dropped whole or kept whole.
            const per = h * w * c;
            for (let s0 = 0; s0 < n; s0++) {
              const zeros = got.slice(s0 * per, (s0 + 1) * per).filter((v) => v === 0).length;
              expect([0, per]).toContain(zeros);
            }
          }
        }
      }
    }));
});

describe('DropkitProbDropBlock on wasm', () => {
  it('equals the cpu reference bit for bit on 64 cases, guided by x itself and by a separate guide', () =>
    expectNoLeaks(() => {
      const next = rng(33);
      for (let c = 0; c < 64; c++) {
        const { shape, attrs, values } = blockCase(next, c);
        const guide = randomValues(next, values.length);
        const self = runKernel(DropkitProbDropBlock, { x: { values, shape } }, attrs);
        expectBitIdentical(
          self,
          probDropBlockImpl(values, values, shape, attrs),
          `case ${c} (self)`,
        );
        const got = runKernel(
          DropkitProbDropBlock,
          { x: { values, shape }, guide: { values: guide, shape } },
          attrs,
        );
        expectBitIdentical(got, probDropBlockImpl(values, guide, shape, attrs), `case ${c}`);
      }
    }));

  it('falls back to DropBlock on a zero or non-finite guide, per sample', () =>
    expectNoLeaks(() => {
      const next = rng(34);
      const shape = [3, 9, 8, 4];
      const size = 9 * 8 * 4;
      const guide = randomValues(next, 3 * size);
      guide.fill(0, 0, size); // sample 0: all zero
      guide[size + 17] = Number.NaN; // sample 1: a NaN
      // sample 2 keeps its random guide
      const values = randomValues(next, 3 * size);
      for (const perChannel of [true, false]) {
        const attrs = {
          rate: 0.4,
          blockSize: 3,
          dataFormat: 'NHWC' as const,
          perChannel,
          ...randomKey(next),
        };
        const got = runKernel(
          DropkitProbDropBlock,
          { x: { values, shape }, guide: { values: guide, shape } },
          attrs,
        );
        expectBitIdentical(got, probDropBlockImpl(values, guide, shape, attrs));
        const plain = dropBlockImpl(values, shape, attrs);
        // The mask of samples 0 and 1 is DropBlock's; only the scale (global kept count) differs.
        for (let i = 0; i < 2 * size; i++)
          expect(got[i] === 0, `element ${i}`).toBe(plain[i] === 0);
      }
    }));

  it('gives the cpu backend values through the public ops', async () =>
    expectNoLeaks(async () => {
      const run = () =>
        tf.tidy(() => {
          const x = tf.randomNormal([2, 10, 12, 3], 0, 1, 'float32', 5);
          const xc = tf.randomNormal([2, 3, 11, 9], 0, 1, 'float32', 6);
          return [
            dropBlock2d(x, { rate: 0.2, blockSize: 3, seed: 1 }),
            dropBlock2d(xc, {
              rate: 0.2,
              blockSize: 4,
              dataFormat: 'NCHW',
              perChannel: false,
              seed: 2,
            }),
            probDropBlock2d(x, { rate: 0.3, blockSize: 5, seed: 3 }),
            probDropBlock2d(xc, { rate: 0.3, blockSize: 2, dataFormat: 'NCHW', seed: 4 }),
          ].map((t) => t.dataSync().slice());
        });
      const wasm = run();
      const cpu = await onBackend('cpu', run);
      for (const [i, w] of wasm.entries()) expectBitIdentical(w, cpu[i] as Float32Array, `op ${i}`);
    }));
});
