import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@dropkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readCifar10, readCifar100 } from '../src/index.js';
import { formatError, tempDir } from './helpers.js';

const PLANE = 1024;

/** A distinct byte for each (record, channel, pixel), so any layout mix-up shows. */
const pixel = (r: number, c: number, p: number) => (r * 61 + c * 17 + p * 7) % 256;

/**
 * CIFAR binary records written by the format's definition: label byte(s), then the red, green and
 * blue 32 x 32 planes, each row by row.
 */
function records(labels: readonly (readonly number[])[]): Uint8Array {
  const labelBytes = labels[0]?.length ?? 1;
  const size = labelBytes + 3 * PLANE;
  const out = new Uint8Array(labels.length * size);
  labels.forEach((ls, r) => {
    out.set(ls, r * size);
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < PLANE; p++) out[r * size + labelBytes + c * PLANE + p] = pixel(r, c, p);
    }
  });
  return out;
}

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('readCifar10', () => {
  it('reads hand-built records into NHWC uint8: value [r][y][x][c] = plane c at y * 32 + x', async () => {
    const ds = await readCifar10(records([[3], [9], [0]]));
    expect(ds.size).toBe(3);
    expect(ds.featureShape).toEqual([32, 32, 3]);
    expect(ds.features).toBeInstanceOf(Uint8Array);
    expect(Array.from(ds.labels)).toEqual([3, 9, 0]);
    expect(ds.classNames?.[3]).toBe('cat');
    for (let r = 0; r < 3; r++) {
      for (const [y, x] of [
        [0, 0],
        [0, 31],
        [5, 7],
        [31, 31],
      ] as const) {
        for (let c = 0; c < 3; c++) {
          const got = ds.features[r * 3072 + (y * 32 + x) * 3 + c];
          expect(got).toBe(pixel(r, c, y * 32 + x));
        }
      }
    }
  });

  it('keeps the file order with layout NCHW', async () => {
    const bytes = records([[1], [2]]);
    const ds = await readCifar10(bytes, { layout: 'NCHW' });
    expect(ds.featureShape).toEqual([3, 32, 32]);
    expect(Array.from(ds.features.subarray(3072, 6144))).toEqual(
      Array.from(bytes.subarray(3073 + 1, 2 * 3073)),
    );
  });

  it('concatenates several files in order, from paths and gzip, and honours limit', async () => {
    const a = join(tmp.dir, 'data_batch_1.bin');
    const b = join(tmp.dir, 'data_batch_2.bin.gz');
    writeFileSync(a, records([[1], [2]]));
    writeFileSync(b, gzipSync(records([[7]])));
    const ds = await readCifar10([a, b]);
    expect(Array.from(ds.labels)).toEqual([1, 2, 7]);
    expect(ds.name).toBe(a);
    expect(ds.features[2 * 3072 + 1]).toBe(pixel(0, 1, 0));
    const limited = await readCifar10([a, b], { limit: 2 });
    expect(Array.from(limited.labels)).toEqual([1, 2]);
  });

  it('rejects a truncated file at the offset where it ends, naming the record', async () => {
    const path = join(tmp.dir, 'cut.bin');
    writeFileSync(path, records([[1], [2], [3]]).subarray(0, 2 * 3073 + 100));
    const err = await formatError(() => readCifar10(path));
    expect(err.source).toBe(path);
    expect(err.byteOffset).toBe(2 * 3073 + 100);
    expect(err.message).toMatch(/truncated: 6246 bytes is not a whole number of 3073-byte records/);
    expect(err.message).toMatch(/record 2 starts at byte offset 6146/);
  });

  it('rejects a label above 9 at its byte offset, and an empty file', async () => {
    const err = await formatError(() =>
      readCifar10(records([[1], [10]]), { sourceNames: ['b.bin'] }),
    );
    expect(err.byteOffset).toBe(3073);
    expect(err.message).toMatch(/^b\.bin: label 10 of record 1 is out of range for 10 classes/);
    expect((await formatError(() => readCifar10(new Uint8Array(0)))).byteOffset).toBe(0);
  });

  it('validates its options', async () => {
    await expect(readCifar10(records([[1]]), { layout: 'HWC' as 'NHWC' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

describe('readCifar100', () => {
  it('reads coarse + fine labels and the same pixel layout', async () => {
    const bytes = records([
      [19, 99],
      [0, 42],
    ]);
    const fine = await readCifar100(bytes);
    expect(fine.numClasses).toBe(100);
    expect(Array.from(fine.labels)).toEqual([99, 42]);
    const coarse = await readCifar100(bytes, { label: 'coarse' });
    expect(coarse.numClasses).toBe(20);
    expect(Array.from(coarse.labels)).toEqual([19, 0]);
    expect(fine.features[3072 + 5 * 3 + 2]).toBe(pixel(1, 2, 5));
  });

  it('checks both label bytes: offsets 0 (coarse) and 1 (fine) of the record', async () => {
    const coarseBad = await formatError(() =>
      readCifar100(
        records([
          [1, 2],
          [20, 3],
        ]),
      ),
    );
    expect(coarseBad.byteOffset).toBe(3074);
    expect(coarseBad.message).toMatch(/coarse label 20 of record 1/);
    const fineBad = await formatError(() => readCifar100(records([[1, 100]])));
    expect(fineBad.byteOffset).toBe(1);
    const cut = await formatError(() => readCifar100(records([[1, 2]]).subarray(0, 3073)));
    expect(cut.byteOffset).toBe(3073);
  });
});
