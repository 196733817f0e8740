import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DataFormatError } from '../src/index.js';

/** A temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dropkit-datasets-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn`, expects a DataFormatError, and returns it for more checks. */
export async function formatError(fn: () => unknown): Promise<DataFormatError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    return err as DataFormatError;
  }
  return expect.fail('expected a DataFormatError, nothing was thrown');
}

/** Synchronous {@link formatError}. */
export function formatErrorSync(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataFormatError);
    return err as DataFormatError;
  }
  return expect.fail('expected a DataFormatError, nothing was thrown');
}

/**
 * Writes an IDX file by the format's definition: 00 00, the type code, the rank, big-endian uint32
 * dimensions, then big-endian values written with DataView.
 */
export function idxFile(typeCode: number, dims: readonly number[], values: readonly number[]) {
  const size = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 }[typeCode] ?? 1;
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + size * values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = typeCode;
  bytes[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  values.forEach((v, i) => {
    const o = header + size * i;
    if (typeCode === 0x08) view.setUint8(o, v);
    else if (typeCode === 0x09) view.setInt8(o, v);
    else if (typeCode === 0x0b) view.setInt16(o, v, false);
    else if (typeCode === 0x0c) view.setInt32(o, v, false);
    else if (typeCode === 0x0d) view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  });
  return bytes;
}

/** Mean and population standard deviation. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  const mean = sum / values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(ss / values.length) };
}
