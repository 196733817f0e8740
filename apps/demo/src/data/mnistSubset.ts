import { DataFormatError, Dataset } from '@dropkit/datasets';

/** The file the build writes into `public/` (see `scripts/make-mnist-subset.mjs`). */
export const MNIST_SUBSET_FILE = 'mnist-subset.bin';

const MAGIC = 'DKMN';
const VERSION = 1;
const HEADER_BYTES = 24;
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The two parts of the embedded MNIST subset. */
export interface MnistSubset {
  /** uint8 images `[rows, cols, 1]`, digits 0..9. */
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * Parses the demo's MNIST subset file: a 24-byte header of little-endian uint32 (magic `DKMN`,
 * version 1, train count, test count, rows, cols), the train then the test pixels (uint8,
 * row-major), the train then the test labels (uint8). Every field is checked before anything is
 * returned.
 *
 * @param bytes - the whole file.
 * @param source - a name for error messages (the URL or path).
 * @returns the train and test sets, uint8 pixels `[rows, cols, 1]`, 10 classes.
 * @throws DataFormatError naming the source and the byte offset of the problem.
 * @example
 * ```ts
 * import { parseMnistSubset } from '@dropkit/demo/data';
 * const file = new Uint8Array(24 + 2 * 4 + 2);
 * const view = new DataView(file.buffer);
 * file.set(new TextEncoder().encode('DKMN'));
 * [1, 1, 1, 2, 2].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
 * file.set([7, 3], 32); // the labels
 * const { train, test } = parseMnistSubset(file, 'tiny.bin');
 * console.log(train.size, test.size, train.featureShape, Array.from(test.labels)); // 1 1 [ 2, 2, 1 ] [ 3 ]
 * ```
 */
export function parseMnistSubset(bytes: Uint8Array, source = MNIST_SUBSET_FILE): MnistSubset {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new DataFormatError(
      source,
      `${bytes.byteLength} bytes, shorter than the 24-byte header`,
      {
        byteOffset: bytes.byteLength,
      },
    );
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== MAGIC) {
    throw new DataFormatError(source, `magic ${JSON.stringify(magic)}, expected "${MAGIC}"`, {
      byteOffset: 0,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) {
    throw new DataFormatError(source, `version ${version}, expected ${VERSION}`, { byteOffset: 4 });
  }
  const trainCount = view.getUint32(8, true);
  const testCount = view.getUint32(12, true);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  if (rows === 0 || cols === 0) {
    throw new DataFormatError(source, `an image size of ${rows}x${cols}`, { byteOffset: 16 });
  }
  const pixels = rows * cols;
  const expected = HEADER_BYTES + (trainCount + testCount) * (pixels + 1);
  if (bytes.byteLength !== expected) {
    throw new DataFormatError(
      source,
      `${bytes.byteLength} bytes where the header (${trainCount} + ${testCount} images of ${rows}x${cols}) promises ${expected}`,
      { byteOffset: Math.min(bytes.byteLength, expected) },
    );
  }
  const labelsStart = HEADER_BYTES + (trainCount + testCount) * pixels;
  for (let i = labelsStart; i < expected; i++) {
    if ((bytes[i] as number) >= CLASS_NAMES.length) {
      throw new DataFormatError(source, `label ${bytes[i]} outside 0..9`, { byteOffset: i });
    }
  }
  const part = (name: string, first: number, count: number, labelOffset: number) =>
    new Dataset({
      // Views, not copies: the file's buffer backs both sets.
      features: bytes.subarray(
        HEADER_BYTES + first * pixels,
        HEADER_BYTES + (first + count) * pixels,
      ),
      featureShape: [rows, cols, 1],
      labels: bytes.subarray(labelOffset, labelOffset + count),
      numClasses: CLASS_NAMES.length,
      classNames: CLASS_NAMES,
      name,
    });
  return {
    train: part('mnist-subset/train', 0, trainCount, labelsStart),
    test: part('mnist-subset/test', trainCount, testCount, labelsStart + trainCount),
  };
}
