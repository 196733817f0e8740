import { assertInteger, assertOneOf } from '@dropkit/core';
import { Dataset } from './Dataset.js';
import { DataFormatError } from './errors.js';
import { type ByteSource, type NamedBytes, readBytes } from './readBytes.js';

/** Options of {@link readCifar10}. */
export interface CifarOptions {
  /**
   * The feature layout: `'NHWC'` (default; `[32, 32, 3]`, what tfjs convolutions expect) or
   * `'NCHW'` (`[3, 32, 32]`, the file's own order).
   */
  readonly layout?: 'NHWC' | 'NCHW';
  /** Keep only the first `limit` examples (over all sources, in order). Default: all. */
  readonly limit?: number;
  /** The dataset's name. Default: the first source's name. */
  readonly name?: string;
  /** Names for byte sources in error messages, one per source. */
  readonly sourceNames?: readonly string[];
}

/** Options of {@link readCifar100}. */
export interface Cifar100Options extends CifarOptions {
  /** Which label to use: the 100 fine classes (default) or the 20 coarse superclasses. */
  readonly label?: 'fine' | 'coarse';
}

const PIXELS = 32 * 32;
const IMAGE_BYTES = 3 * PIXELS;

/** The CIFAR-10 class names, index order. */
const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

interface LabelField {
  /** Offset of the byte inside the record. */
  readonly at: number;
  readonly numClasses: number;
  readonly what: string;
}

async function readCifar(
  sources: ByteSource | readonly ByteSource[],
  options: CifarOptions,
  labelFields: readonly LabelField[],
  use: number,
  classNames: readonly string[] | undefined,
): Promise<Dataset> {
  const layout = assertOneOf('layout', options.layout ?? 'NHWC', ['NHWC', 'NCHW'] as const);
  const limit =
    options.limit === undefined ? undefined : assertInteger('limit', options.limit, { min: 0 });
  const list: readonly ByteSource[] = Array.isArray(sources) ? sources : [sources as ByteSource];
  const recordBytes = labelFields.length + IMAGE_BYTES;
  const files: NamedBytes[] = [];
  for (let s = 0; s < list.length; s++) {
    const src = list[s] as ByteSource;
    const given =
      options.sourceNames?.[s] ??
      (src instanceof Uint8Array || src instanceof ArrayBuffer ? `<cifar bytes ${s}>` : undefined);
    const file = await readBytes(src, given);
    const { bytes, name } = file;
    if (bytes.length === 0) {
      throw new DataFormatError(name, `is empty (expected ${recordBytes}-byte records)`, {
        byteOffset: 0,
      });
    }
    const whole = Math.floor(bytes.length / recordBytes);
    if (bytes.length % recordBytes !== 0) {
      throw new DataFormatError(
        name,
        `truncated: ${bytes.length} bytes is not a whole number of ${recordBytes}-byte records; ` +
          `record ${whole} starts at byte offset ${whole * recordBytes} and ends early`,
        { byteOffset: bytes.length },
      );
    }
    // Every label is checked before anything is allocated: a bad file returns nothing.
    for (let r = 0; r < whole; r++) {
      for (const field of labelFields) {
        const offset = r * recordBytes + field.at;
        const v = bytes[offset] as number;
        if (v >= field.numClasses) {
          throw new DataFormatError(
            name,
            `${field.what} ${v} of record ${r} is out of range for ${field.numClasses} classes ` +
              `(expected 0..${field.numClasses - 1})`,
            { byteOffset: offset },
          );
        }
      }
    }
    files.push(file);
  }
  const total = files.reduce((a, f) => a + f.bytes.length / recordBytes, 0);
  const n = limit === undefined ? total : Math.min(limit, total);
  const features = new Uint8Array(n * IMAGE_BYTES);
  const labels = new Int32Array(n);
  const labelAt = (labelFields[use] as LabelField).at;
  let r = 0;
  for (const { bytes } of files) {
    for (let base = 0; base < bytes.length && r < n; base += recordBytes, r++) {
      labels[r] = bytes[base + labelAt] as number;
      const src = base + labelFields.length;
      const dst = r * IMAGE_BYTES;
      if (layout === 'NCHW') {
        features.set(bytes.subarray(src, src + IMAGE_BYTES), dst);
      } else {
        // The file stores the red plane, then green, then blue; NHWC interleaves them per pixel.
        for (let p = 0, o = dst; p < PIXELS; p++, o += 3) {
          features[o] = bytes[src + p] as number;
          features[o + 1] = bytes[src + PIXELS + p] as number;
          features[o + 2] = bytes[src + 2 * PIXELS + p] as number;
        }
      }
    }
  }
  const numClasses = (labelFields[use] as LabelField).numClasses;
  return new Dataset({
    features,
    featureShape: layout === 'NHWC' ? [32, 32, 3] : [3, 32, 32],
    labels,
    numClasses,
    name: options.name ?? (files[0] as NamedBytes).name,
    ...(classNames === undefined ? {} : { classNames }),
  });
}

/**
 * Reads CIFAR-10 binary files (`data_batch_1.bin` ... `test_batch.bin`; the `.tar.gz` must be
 * unpacked first, a gzipped `.bin` is fine): records of 1 label byte (0..9) and 3072 image bytes,
 * the red, green and blue 32x32 planes row by row. Several sources are concatenated in order.
 * **Pixels stay uint8** (0..255) in memory, in NHWC order by default; batches turn them into
 * float32 (0..255 until normalized, e.g. `normalize(splits, { method: 'scale' })`).
 *
 * @param sources - one or more paths, `file:` URLs, Uint8Arrays or ArrayBuffers.
 * @param options - {@link CifarOptions}.
 * @returns a classification dataset with 10 classes and their names.
 * @throws DataFormatError naming the file and byte offset for an empty or truncated file or a
 *   label above 9.
 * @example
 * ```ts
 * import { readCifar10 } from '@dropkit/datasets';
 * const record = new Uint8Array(3073);
 * record[0] = 3; // cat
 * record[1] = 255; // red of pixel (0, 0)
 * const ds = await readCifar10(record);
 * console.log(ds.featureShape, ds.classNames?.[ds.labels[0]], ds.features[0], ds.features[1]); // [ 32, 32, 3 ] cat 255 0
 * ```
 */
export async function readCifar10(
  sources: ByteSource | readonly ByteSource[],
  options: CifarOptions = {},
): Promise<Dataset> {
  return readCifar(
    sources,
    options,
    [{ at: 0, numClasses: 10, what: 'label' }],
    0,
    CIFAR10_CLASSES,
  );
}

/**
 * Reads CIFAR-100 binary files (`train.bin`, `test.bin`): records of a coarse label byte (0..19),
 * a fine label byte (0..99) and 3072 image bytes laid out as in CIFAR-10. Both label bytes are
 * checked; `label` picks which one the dataset uses. Pixels stay uint8, NHWC by default, as in
 * {@link readCifar10}.
 *
 * @param sources - one or more paths, `file:` URLs, Uint8Arrays or ArrayBuffers.
 * @param options - {@link Cifar100Options}.
 * @returns a classification dataset with 100 (fine) or 20 (coarse) classes.
 * @throws DataFormatError naming the file and byte offset for an empty or truncated file or a
 *   label out of range.
 * @example
 * ```ts
 * import { readCifar100 } from '@dropkit/datasets';
 * const record = new Uint8Array(3074);
 * record[0] = 19;
 * record[1] = 99;
 * const fine = await readCifar100(record);
 * const coarse = await readCifar100(record, { label: 'coarse' });
 * console.log(fine.numClasses, fine.labels[0], coarse.numClasses, coarse.labels[0]); // 100 99 20 19
 * ```
 */
export async function readCifar100(
  sources: ByteSource | readonly ByteSource[],
  options: Cifar100Options = {},
): Promise<Dataset> {
  const label = assertOneOf('label', options.label ?? 'fine', ['fine', 'coarse'] as const);
  return readCifar(
    sources,
    options,
    [
      { at: 0, numClasses: 20, what: 'coarse label' },
      { at: 1, numClasses: 100, what: 'fine label' },
    ],
    label === 'coarse' ? 0 : 1,
    undefined,
  );
}
