import { existsSync, readFileSync } from 'node:fs';
import { DropkitError } from '@dropkit/core';
import type { GeneratorState } from '@dropkit/ops';
import { writeFileAtomic } from './atomicWrite.js';

/** One tensor stored in a checkpoint. */
export interface StoredTensor {
  /** The weight's or optimizer variable's name. */
  readonly name: string;
  /** Its shape. */
  readonly shape: readonly number[];
  /** `float32` or `int32`. */
  readonly dtype: 'float32' | 'int32';
  /** Its values. */
  readonly values: Float32Array | Int32Array;
}

/** What a checkpoint holds: everything a run needs to continue bit for bit. */
export interface Checkpoint {
  /** The next optimizer step to run (= steps done). */
  readonly step: number;
  /** Whether the run had finished (final diagnostics and end line written). */
  readonly complete: boolean;
  /** The resolved config as JSON: a resumed run must have the same. */
  readonly config: string;
  /** The length of the JSONL log in bytes at this step: lines past it are cut on resume. */
  readonly logBytes: number;
  /** Where the data iteration stands: the epoch and the next batch of it. */
  readonly position: { readonly epoch: number; readonly batch: number };
  /** The generator state of every seeded dropout layer, by layer name. */
  readonly generators: Readonly<Record<string, GeneratorState>>;
  /** The model's weights, in `model.weights` order. */
  readonly weights: readonly StoredTensor[];
  /** The optimizer's `getWeights()`, in order. */
  readonly optimizer: readonly StoredTensor[];
  /** Optimizer scalars `getWeights` leaves out (Adam's accumulated beta powers). */
  readonly optimizerExtras: Readonly<Record<string, number>>;
}

const MAGIC = 0x50434b44; // "DKCP" little-endian
const VERSION = 1;

interface Header extends Omit<Checkpoint, 'weights' | 'optimizer'> {
  readonly weights: readonly TensorEntry[];
  readonly optimizer: readonly TensorEntry[];
  readonly checksum: number;
  readonly dataBytes: number;
}

interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly offset: number;
  readonly length: number;
}

/** FNV-1a over the data section: a torn or corrupted file is refused, not half-loaded. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Serializes a checkpoint to bytes: a 12-byte preamble (magic `DKCP`, format version, header
 * length), a JSON header, then the tensors' raw little-endian values, 4-byte aligned.
 *
 * @param checkpoint - the {@link Checkpoint}.
 * @returns the file's bytes.
 * @example
 * ```ts
 * import { decodeCheckpoint, encodeCheckpoint } from '@dropkit/lab';
 * const bytes = encodeCheckpoint({
 *   step: 3, complete: false, config: '{}', logBytes: 120, position: { epoch: 0, batch: 3 },
 *   generators: { drop: { seed: 1, nextStream: 3 } },
 *   weights: [{ name: 'w', shape: [2], dtype: 'float32', values: new Float32Array([0.5, -1]) }],
 *   optimizer: [], optimizerExtras: {},
 * });
 * console.log(decodeCheckpoint(bytes, 'mem').weights[0]?.values); // Float32Array(2) [ 0.5, -1 ]
 * ```
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  let offset = 0;
  const entries = (list: readonly StoredTensor[]): TensorEntry[] =>
    list.map((t) => {
      const e = { name: t.name, shape: t.shape, dtype: t.dtype, offset, length: t.values.length };
      offset += t.values.length * 4;
      return e;
    });
  const weights = entries(checkpoint.weights);
  const optimizer = entries(checkpoint.optimizer);
  const data = new Uint8Array(offset);
  let at = 0;
  for (const t of [...checkpoint.weights, ...checkpoint.optimizer]) {
    data.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    at += t.values.byteLength;
  }
  const header: Header = {
    ...checkpoint,
    weights,
    optimizer,
    dataBytes: data.length,
    checksum: fnv1a(data),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + headerBytes + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + headerBytes);
  out.set(data, 12 + headerBytes);
  return out;
}

/** Thrown when a checkpoint file is damaged or of another format; the message names the file. */
export class CheckpointFormatError extends DropkitError {
  /** The file. */
  readonly path: string;
  /**
   * @param path - the file.
   * @param problem - what is wrong.
   */
  constructor(path: string, problem: string) {
    super(`${path}: not a usable dropkit checkpoint (${problem}).`);
    this.path = path;
  }
}

/**
 * Parses the bytes {@link encodeCheckpoint} wrote, checking the magic number, the version, the
 * sizes and the data checksum.
 *
 * @param bytes - the file's bytes.
 * @param path - the file's name, for errors.
 * @returns the {@link Checkpoint}.
 * @throws CheckpointFormatError for a damaged or foreign file.
 * @example
 * ```ts
 * import { decodeCheckpoint } from '@dropkit/lab';
 * try {
 *   decodeCheckpoint(new Uint8Array(16), 'bad.bin');
 * } catch (e) {
 *   console.log((e as Error).message); // bad.bin: not a usable dropkit checkpoint (wrong magic number).
 * }
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, path: string): Checkpoint {
  if (bytes.length < 12) throw new CheckpointFormatError(path, 'shorter than its preamble');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC)
    throw new CheckpointFormatError(path, 'wrong magic number');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new CheckpointFormatError(path, `format version ${version}`);
  const jsonLength = view.getUint32(8, true);
  const headerBytes = Math.ceil(jsonLength / 4) * 4;
  if (12 + headerBytes > bytes.length) throw new CheckpointFormatError(path, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Header;
  } catch {
    throw new CheckpointFormatError(path, 'unreadable header');
  }
  const start = 12 + headerBytes;
  if (bytes.length - start !== header.dataBytes) {
    throw new CheckpointFormatError(
      path,
      `data of ${bytes.length - start} bytes, expected ${header.dataBytes}`,
    );
  }
  // Copy so the typed arrays are aligned and do not pin the file buffer.
  const data = bytes.slice(start);
  if (fnv1a(data) !== header.checksum) throw new CheckpointFormatError(path, 'checksum mismatch');
  const tensors = (list: readonly TensorEntry[]): StoredTensor[] =>
    list.map((e) => ({
      name: e.name,
      shape: e.shape,
      dtype: e.dtype,
      values:
        e.dtype === 'int32'
          ? new Int32Array(data.buffer, e.offset, e.length)
          : new Float32Array(data.buffer, e.offset, e.length),
    }));
  const { checksum: _c, dataBytes: _d, ...rest } = header;
  return { ...rest, weights: tensors(header.weights), optimizer: tensors(header.optimizer) };
}

/**
 * Writes a checkpoint atomically (temporary file, fsync, rename): a failed write leaves the last
 * good checkpoint in place.
 *
 * @param path - the checkpoint file.
 * @param checkpoint - the {@link Checkpoint}.
 * @throws OutputWriteError naming the path and the operating system's error.
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readCheckpoint, writeCheckpoint } from '@dropkit/lab';
 * const path = join(mkdtempSync(join(tmpdir(), 'lab-')), 'checkpoint.bin');
 * writeCheckpoint(path, {
 *   step: 7, complete: false, config: '{}', logBytes: 0, position: { epoch: 1, batch: 2 },
 *   generators: {}, weights: [], optimizer: [], optimizerExtras: {},
 * });
 * console.log(readCheckpoint(path)?.position); // { epoch: 1, batch: 2 }
 * ```
 */
export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  writeFileAtomic(path, encodeCheckpoint(checkpoint), 'write the checkpoint');
}

/**
 * Reads a checkpoint file, or `null` when there is none.
 *
 * @param path - the checkpoint file.
 * @returns the {@link Checkpoint} or null.
 * @throws CheckpointFormatError for a damaged file.
 * @example
 * ```ts
 * import { readCheckpoint } from '@dropkit/lab';
 * console.log(readCheckpoint('/nonexistent/checkpoint.bin')); // null
 * ```
 */
export function readCheckpoint(path: string): Checkpoint | null {
  if (!existsSync(path)) return null;
  return decodeCheckpoint(new Uint8Array(readFileSync(path)), path);
}
