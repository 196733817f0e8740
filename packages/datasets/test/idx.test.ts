import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@dropkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIdx, readIdx, readIdxDataset } from '../src/index.js';
import { gunzipWithStreams, gunzipWithZlib } from '../src/readBytes.js';
import { formatError, formatErrorSync, idxFile, tempDir } from './helpers.js';

// A 2 x 2 x 3 uint8 file, byte by byte: magic 00 00 08 03, dims 2, 2, 3 (big-endian), data.
const SMALL = new Uint8Array([
  0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0,
  1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255,
]);
// Labels 3, 0 for those two images: magic 00 00 08 01, dim 2, data.
const SMALL_LABELS = new Uint8Array([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x02, 3, 0]);

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('readIdx', () => {
  it('reads a hand-built uint8 file back exactly', async () => {
    const idx = await readIdx(SMALL, { name: 'small.idx' });
    expect(idx.type).toBe('uint8');
    expect(idx.shape).toEqual([2, 2, 3]);
    expect(idx.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(idx.dataOffset).toBe(16);
    expect(idx.source).toBe('small.idx');
  });

  it('copies the data, so the returned array does not alias the input bytes', () => {
    const bytes = SMALL.slice();
    const idx = parseIdx(bytes);
    bytes[16] = 99;
    expect(idx.data[0]).toBe(0);
  });

  it('decodes every element type from big-endian', () => {
    const cases: [number, string, number[]][] = [
      [0x09, 'int8', [-128, -1, 0, 127]],
      [0x0b, 'int16', [-32768, -2, 258, 32767]],
      [0x0c, 'int32', [-2147483648, -70000, 16909060, 2147483647]],
      [0x0d, 'float32', [-1.5, 0.25, Math.fround(3.4e38), -0]],
      [0x0e, 'float64', [Math.PI, -1e300, 5e-324, 2 ** 53]],
    ];
    for (const [code, type, values] of cases) {
      const idx = parseIdx(idxFile(code, [2, 2], values));
      expect(idx.type).toBe(type);
      expect(idx.shape).toEqual([2, 2]);
      expect(Array.from(idx.data)).toEqual(values);
    }
  });

  it('reads the gzipped file (zlib in Node), from bytes, a path and a file: URL', async () => {
    const gz = gzipSync(SMALL);
    expect(gz[0]).toBe(0x1f);
    const fromBytes = await readIdx(gz);
    expect(Array.from(fromBytes.data)).toEqual(Array.from(SMALL.subarray(16)));
    const path = join(tmp.dir, 'small-idx3-ubyte.gz');
    writeFileSync(path, gz);
    const fromPath = await readIdx(path);
    expect(fromPath.shape).toEqual([2, 2, 3]);
    expect(fromPath.source).toBe(path);
    const fromUrl = await readIdx(pathToFileURL(path));
    expect(Array.from(fromUrl.data)).toEqual(Array.from(fromBytes.data));
  });

  it('decompresses with DecompressionStream (the browser path) to the same bytes as zlib', async () => {
    const gz = gzipSync(
      idxFile(
        0x0c,
        [300],
        Array.from({ length: 300 }, (_, i) => i * 7919),
      ),
    );
    const a = await gunzipWithStreams(gz);
    const b = await gunzipWithZlib(gz);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(parseIdx(a).data.subarray(0, 3))).toEqual([0, 7919, 15838]);
  });

  it('keeps only the first `limit` items but still checks the whole file', async () => {
    const idx = await readIdx(SMALL, { limit: 1 });
    expect(idx.shape).toEqual([1, 2, 3]);
    expect(idx.fileCount).toBe(2);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5]);
    await formatError(() => readIdx(SMALL.subarray(0, 27), { limit: 1 }));
    await expect(readIdx(SMALL, { limit: -1 })).rejects.toThrow(InvalidArgumentError);
  });

  it('rejects a wrong magic number at byte offset 0, naming the file', () => {
    const bad = SMALL.slice();
    bad[0] = 0x12;
    bad[1] = 0x34;
    const err = formatErrorSync(() => parseIdx(bad, { name: 'bad-magic.idx' }));
    expect(err.byteOffset).toBe(0);
    expect(err.source).toBe('bad-magic.idx');
    expect(err.message).toMatch(/^bad-magic\.idx: wrong magic number 0x12340803/);
    expect(err.message).toMatch(/byte offset 0\)/);
  });

  it('rejects an unknown element type at byte offset 2', () => {
    const bad = SMALL.slice();
    bad[2] = 0x0a;
    const err = formatErrorSync(() => parseIdx(bad, { name: 'x.idx' }));
    expect(err.byteOffset).toBe(2);
    expect(err.message).toMatch(/unknown IDX element type 0x0a/);
  });

  it('rejects truncated data at the byte offset where it ends', async () => {
    const cut = SMALL.subarray(0, 25); // 9 of the 12 data bytes
    const err = await formatError(() => readIdx(cut, { name: 'cut.idx' }));
    expect(err.byteOffset).toBe(25);
    expect(err.message).toMatch(/^cut\.idx: truncated/);
    expect(err.message).toMatch(/3 bytes are missing/);
    expect(err.message).toMatch(/byte offset 25\)/);
  });

  it('rejects a truncated header and a file too short for the magic number', () => {
    expect(formatErrorSync(() => parseIdx(SMALL.subarray(0, 10))).byteOffset).toBe(10);
    expect(formatErrorSync(() => parseIdx(SMALL.subarray(0, 2))).byteOffset).toBe(2);
    expect(formatErrorSync(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).byteOffset).toBe(3);
  });

  it('rejects bytes after the data (a size mismatch) at the offset where the data should end', () => {
    const long = new Uint8Array([...SMALL, 1, 2, 3]);
    const err = formatErrorSync(() => parseIdx(long, { name: 'long.idx' }));
    expect(err.byteOffset).toBe(28);
    expect(err.message).toMatch(/size mismatch.*3 more bytes/);
  });

  it('rejects dimensions far larger than the file before allocating anything', () => {
    const huge = idxFile(0x0d, [0xffffffff, 0xffffffff], []);
    const err = formatErrorSync(() => parseIdx(huge));
    expect(err.byteOffset).toBe(12);
    expect(err.message).toMatch(/truncated/);
  });

  it('names a path in errors, and a corrupt gzip stream', async () => {
    const path = join(tmp.dir, 'bad.idx');
    writeFileSync(path, SMALL.subarray(0, 20));
    const err = await formatError(() => readIdx(path));
    expect(err.message.startsWith(`${path}: truncated`)).toBe(true);
    const gz = gzipSync(SMALL);
    const gzErr = await formatError(() =>
      readIdx(gz.subarray(0, gz.length - 12), { name: 'z.gz' }),
    );
    expect(gzErr.message).toMatch(/^z\.gz: the gzip stream .* is corrupt or truncated/);
    await expect(readIdx(join(tmp.dir, 'missing.idx'))).rejects.toThrow(/missing\.idx/);
  });

  it('tells the caller to use readIdx for gzip bytes given to parseIdx', () => {
    expect(() => parseIdx(gzipSync(SMALL))).toThrow(/gzip-compressed; use readIdx/);
  });
});

describe('readIdxDataset', () => {
  it('pairs images and labels: rank-3 images get one channel, uint8 storage is kept', async () => {
    const ds = await readIdxDataset({ images: SMALL, labels: SMALL_LABELS, numClasses: 4 });
    expect(ds.size).toBe(2);
    expect(ds.featureShape).toEqual([2, 3, 1]);
    expect(ds.features).toBeInstanceOf(Uint8Array);
    expect(Array.from(ds.labels)).toEqual([3, 0]);
    expect(ds.numClasses).toBe(4);
  });

  it('rejects a label out of range at its byte offset in the label file', async () => {
    const labels = idxFile(0x08, [5], [1, 2, 9, 10, 3]);
    const images = idxFile(0x08, [5, 2], new Array(10).fill(0));
    const err = await formatError(() =>
      readIdxDataset({ images, labels, numClasses: 10, labelsName: 'labels.idx' }),
    );
    expect(err.source).toBe('labels.idx');
    expect(err.byteOffset).toBe(8 + 3);
    expect(err.message).toMatch(/label 10 of example 3 is out of range for 10 classes/);
    // int32 labels: 4 bytes each, so the offset moves by 4 per example.
    const wide = idxFile(0x0c, [3], [0, 1, -1]);
    const err2 = await formatError(() =>
      readIdxDataset({ images: idxFile(0x08, [3, 1], [0, 0, 0]), labels: wide }),
    );
    expect(err2.byteOffset).toBe(8 + 2 * 4);
  });

  it('rejects image and label files with different counts at byte offset 4', async () => {
    const err = await formatError(() =>
      readIdxDataset({
        images: SMALL,
        labels: idxFile(0x08, [3], [0, 1, 2]),
        imagesName: 'img.idx',
        labelsName: 'lab.idx',
      }),
    );
    expect(err.byteOffset).toBe(4);
    expect(err.message).toMatch(
      /^img\.idx: size mismatch: 2 images, but lab\.idx declares 3 labels/,
    );
  });

  it('rejects a label file of the wrong rank or a float type, and images of rank 1', async () => {
    await formatError(() => readIdxDataset({ images: SMALL, labels: SMALL }));
    await formatError(() => readIdxDataset({ images: SMALL, labels: idxFile(0x0d, [2], [0, 1]) }));
    await formatError(() => readIdxDataset({ images: SMALL_LABELS, labels: SMALL_LABELS }));
  });

  it('converts non-uint8 images to float32 and rejects non-finite ones at their offset', async () => {
    const images = idxFile(0x0e, [2, 2], [0.5, -1, 2, 3]);
    const ds = await readIdxDataset({ images, labels: SMALL_LABELS });
    expect(ds.features).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.features)).toEqual([0.5, -1, 2, 3]);
    const bad = idxFile(0x0d, [2, 2], [0, 1, Number.NaN, 3]);
    const err = await formatError(() => readIdxDataset({ images: bad, labels: SMALL_LABELS }));
    expect(err.byteOffset).toBe(12 + 2 * 4);
  });
});
