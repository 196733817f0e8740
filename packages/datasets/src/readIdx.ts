import { assertInteger } from '@dropkit/core';
import { Dataset } from './Dataset.js';
import { DataFormatError } from './errors.js';
import { type ByteSource, isGzip, readBytes } from './readBytes.js';

/** The element types an IDX file can declare (its third magic byte). */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array an IDX file is read into. */
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** The content of an IDX file. */
export interface IdxArray {
  /** The declared element type. */
  readonly type: IdxType;
  /** The dimensions, the first one cut to `limit` if one was given. */
  readonly shape: readonly number[];
  /** The values, row-major, converted from big-endian. */
  readonly data: IdxData;
  /** The size of the first dimension in the file, before `limit`. */
  readonly fileCount: number;
  /** The file's name (path or given name), for messages. */
  readonly source: string;
  /** The byte offset where the data starts (`4 + 4 * rank`). */
  readonly dataOffset: number;
}

/** Options of {@link readIdx} and {@link parseIdx}. */
export interface ReadIdxOptions {
  /** The name used in error messages for bytes. Default: the path, or `"<bytes>"`. */
  readonly name?: string;
  /** Keep only the first `limit` items (entries of the first dimension). Default: all. */
  readonly limit?: number;
}

const TYPES: Readonly<Record<number, { type: IdxType; bytes: number }>> = {
  8: { type: 'uint8', bytes: 1 },
  9: { type: 'int8', bytes: 1 },
  11: { type: 'int16', bytes: 2 },
  12: { type: 'int32', bytes: 4 },
  13: { type: 'float32', bytes: 4 },
  14: { type: 'float64', bytes: 8 },
};

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

/**
 * Parses an uncompressed IDX file (the format of MNIST, Fashion-MNIST and KMNIST): magic
 * `00 00 type rank`, `rank` big-endian uint32 dimensions, then the big-endian values. Checks the
 * whole layout before allocating anything, then converts in one pass into a new typed array.
 *
 * @param bytes - the file's bytes.
 * @param options - {@link ReadIdxOptions}.
 * @returns the {@link IdxArray}.
 * @throws DataFormatError naming the file and byte offset for a wrong magic number, an unknown
 *   type, a truncated header or data, or bytes after the data; gzip data (use {@link readIdx}).
 * @example
 * ```ts
 * import { parseIdx } from '@dropkit/datasets';
 * const bytes = new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]);
 * const idx = parseIdx(bytes, { name: 'tiny.idx' });
 * console.log(idx.type, idx.shape, idx.data); // uint8 [ 3 ] Uint8Array(3) [ 7, 8, 9 ]
 * ```
 */
export function parseIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  return parseIdxBytes(bytes, options, false);
}

/**
 * {@link parseIdx}; with `owned` (bytes this package read or decompressed, that nobody else holds)
 * uint8 data is a view into them instead of a copy, which saves a 47 MB copy for MNIST.
 */
function parseIdxBytes(bytes: Uint8Array, options: ReadIdxOptions, owned: boolean): IdxArray {
  const name = options.name ?? '<bytes>';
  const limit =
    options.limit === undefined ? undefined : assertInteger('limit', options.limit, { min: 0 });
  if (isGzip(bytes)) {
    throw new DataFormatError(
      name,
      'is gzip-compressed; use readIdx, which decompresses it, or gunzip it first',
      { byteOffset: 0 },
    );
  }
  if (bytes.length < 4) {
    throw new DataFormatError(
      name,
      `truncated: the 4-byte IDX magic number needs 4 bytes, the file has ${bytes.length}`,
      { byteOffset: bytes.length },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(
      name,
      `wrong magic number ${hex(view.getUint32(0, false), 8)}: an IDX file starts with two zero bytes`,
      { byteOffset: 0 },
    );
  }
  const code = bytes[2] as number;
  const kind = TYPES[code];
  if (kind === undefined) {
    throw new DataFormatError(
      name,
      `wrong magic number ${hex(view.getUint32(0, false), 8)}: unknown IDX element type ${hex(code, 2)} ` +
        '(expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)',
      { byteOffset: 2 },
    );
  }
  const rank = bytes[3] as number;
  if (rank === 0) {
    throw new DataFormatError(name, 'the IDX header declares 0 dimensions (expected >= 1)', {
      byteOffset: 3,
    });
  }
  const dataOffset = 4 + 4 * rank;
  if (bytes.length < dataOffset) {
    throw new DataFormatError(
      name,
      `truncated: the header of ${rank} dimensions needs ${dataOffset} bytes, the file has ${bytes.length}`,
      { byteOffset: bytes.length },
    );
  }
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(4 + 4 * d, false);
    shape.push(dim);
    count *= dim;
  }
  const dataBytes = count * kind.bytes;
  const expected = dataOffset + dataBytes;
  const described = `${shape.join(' x ')} ${kind.type} values (${dataBytes} bytes from byte offset ${dataOffset})`;
  if (bytes.length < expected) {
    throw new DataFormatError(
      name,
      `truncated: the header declares ${described}, but the data ends early; ${expected - bytes.length} bytes are missing`,
      { byteOffset: bytes.length },
    );
  }
  if (bytes.length > expected) {
    throw new DataFormatError(
      name,
      `size mismatch: the header declares ${described}, but ${bytes.length - expected} more bytes follow the data`,
      { byteOffset: expected },
    );
  }
  const fileCount = shape[0] as number;
  const items = limit === undefined ? fileCount : Math.min(limit, fileCount);
  const itemSize = fileCount === 0 ? 0 : count / fileCount;
  const n = items * itemSize;
  const outShape = [items, ...shape.slice(1)];
  return {
    type: kind.type,
    shape: outShape,
    data:
      // A view would keep the whole file alive for a few items: copy when cutting to `limit`.
      owned && kind.type === 'uint8' && items === fileCount
        ? bytes.subarray(dataOffset, dataOffset + n)
        : decode(kind.type, bytes, view, dataOffset, n),
    fileCount,
    source: name,
    dataOffset,
  };
}

/** Big-endian values into a fresh typed array, one pass. */
function decode(type: IdxType, bytes: Uint8Array, view: DataView, at: number, n: number): IdxData {
  switch (type) {
    case 'uint8':
      return bytes.slice(at, at + n);
    case 'int8':
      return new Int8Array(bytes.slice(at, at + n).buffer);
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0, o = at; i < n; i++, o += 2) out[i] = view.getInt16(o, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0, o = at; i < n; i++, o += 4) out[i] = view.getInt32(o, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0, o = at; i < n; i++, o += 4) out[i] = view.getFloat32(o, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0, o = at; i < n; i++, o += 8) out[i] = view.getFloat64(o, false);
      return out;
    }
  }
}

/**
 * Reads an IDX file from a path (Node) or bytes, gzipped or not (detected by the gzip magic
 * number; byte offsets in errors then count in the decompressed data).
 *
 * @param source - a path, `file:` URL, Uint8Array or ArrayBuffer.
 * @param options - {@link ReadIdxOptions}.
 * @returns the {@link IdxArray}.
 * @throws DataFormatError as {@link parseIdx} does, or for corrupt gzip data.
 * @example
 * ```ts
 * import { readIdx } from '@dropkit/datasets';
 * const idx = await readIdx(new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x00, 0xff, 0xff]));
 * console.log(idx.data); // Int16Array(2) [ 256, -1 ]
 * ```
 */
export async function readIdx(source: ByteSource, options: ReadIdxOptions = {}): Promise<IdxArray> {
  const { bytes, name, owned } = await readBytes(source, options.name);
  return parseIdxBytes(bytes, { ...options, name }, owned);
}

/** Options of {@link readIdxDataset}. */
export interface IdxDatasetOptions {
  /** The image (or feature) IDX file: rank >= 2, first dimension the examples. */
  readonly images: ByteSource;
  /** The label IDX file: rank 1, an integer type, one class index per example. */
  readonly labels: ByteSource;
  /** The number of classes; every label must be in [0, numClasses). Default 10. */
  readonly numClasses?: number;
  /** Keep only the first `limit` examples. Default: all. */
  readonly limit?: number;
  /** The dataset's name. Default: the images file's name. */
  readonly name?: string;
  /** Names for byte sources in error messages. */
  readonly imagesName?: string;
  /** Names for byte sources in error messages. */
  readonly labelsName?: string;
  /** Class names, index order. */
  readonly classNames?: readonly string[];
}

/**
 * Reads an image IDX file and a label IDX file into a classification {@link Dataset} (MNIST,
 * Fashion-MNIST, KMNIST and the like). Rank-3 images `[n, h, w]` get the feature shape
 * `[h, w, 1]` (NHWC with one channel); rank 4 is kept as `[h, w, c]`; rank 2 as `[d]`. uint8
 * images stay uint8 in memory (a quarter of float32) and become float32 per batch: values
 * 0..255 until normalized, e.g. with `normalize(..., { method: 'scale' })`.
 *
 * @param options - {@link IdxDatasetOptions}.
 * @returns the dataset.
 * @throws DataFormatError for a bad file, example counts that differ (byte offset 4 of both
 *   files), or a label outside [0, numClasses) (its byte offset in the label file).
 * @example
 * ```ts
 * import { readIdxDataset } from '@dropkit/datasets';
 * const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20, 30, 40]);
 * const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 0]);
 * const ds = await readIdxDataset({ images, labels, numClasses: 2 });
 * console.log(ds.size, ds.featureShape, ds.labels); // 2 [ 1, 2, 1 ] Int32Array(2) [ 1, 0 ]
 * ```
 */
export async function readIdxDataset(options: IdxDatasetOptions): Promise<Dataset> {
  const numClasses = assertInteger('numClasses', options.numClasses ?? 10, { min: 1 });
  const limit =
    options.limit === undefined ? undefined : assertInteger('limit', options.limit, { min: 0 });
  const read = async (source: ByteSource, givenName: string | undefined) => {
    const { bytes, name, owned } = await readBytes(source, givenName);
    return parseIdxBytes(bytes, { name, ...(limit === undefined ? {} : { limit }) }, owned);
  };
  const images = await read(
    options.images,
    options.imagesName ?? defaultName(options.images, 'images'),
  );
  const labels = await read(
    options.labels,
    options.labelsName ?? defaultName(options.labels, 'labels'),
  );
  if (images.shape.length < 2) {
    throw new DataFormatError(
      images.source,
      `an image file needs rank >= 2 ([examples, ...features]); this one has rank ${images.shape.length}`,
      { byteOffset: 3 },
    );
  }
  if (labels.shape.length !== 1) {
    throw new DataFormatError(
      labels.source,
      `a label file needs rank 1 ([examples]); this one has rank ${labels.shape.length}`,
      { byteOffset: 3 },
    );
  }
  if (labels.data instanceof Float32Array || labels.data instanceof Float64Array) {
    throw new DataFormatError(
      labels.source,
      `a label file needs an integer type; this one is ${labels.type}`,
      { byteOffset: 2 },
    );
  }
  if (images.fileCount !== labels.fileCount) {
    throw new DataFormatError(
      images.source,
      `size mismatch: ${images.fileCount} images, but ${labels.source} declares ${labels.fileCount} labels (also at its byte offset 4)`,
      { byteOffset: 4 },
    );
  }
  const labelData = labels.data;
  const itemBytes = labelData.BYTES_PER_ELEMENT;
  for (let i = 0; i < labelData.length; i++) {
    const v = labelData[i] as number;
    if (v < 0 || v >= numClasses) {
      throw new DataFormatError(
        labels.source,
        `label ${v} of example ${i} is out of range for ${numClasses} classes (expected 0..${numClasses - 1})`,
        { byteOffset: labels.dataOffset + i * itemBytes },
      );
    }
  }
  const dims = images.shape.slice(1);
  const zeroDim = dims.indexOf(0);
  if (zeroDim >= 0) {
    throw new DataFormatError(images.source, `dimension ${zeroDim + 1} of the images is 0`, {
      byteOffset: 4 + 4 * (zeroDim + 1),
    });
  }
  if (!(images.data instanceof Uint8Array)) {
    const data = images.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new DataFormatError(images.source, `value ${data[i]} of the images is not finite`, {
          byteOffset: images.dataOffset + i * data.BYTES_PER_ELEMENT,
        });
      }
    }
  }
  const featureShape = dims.length === 2 ? [...dims, 1] : dims;
  const features =
    images.data instanceof Uint8Array || images.data instanceof Float32Array
      ? images.data
      : Float32Array.from(images.data);
  return new Dataset({
    features,
    featureShape,
    labels: Int32Array.from(labelData),
    numClasses,
    name: options.name ?? images.source,
    ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
  });
}

function defaultName(source: ByteSource, role: string): string | undefined {
  return source instanceof Uint8Array || source instanceof ArrayBuffer
    ? `<${role} bytes>`
    : undefined;
}
