import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OutputWriteError } from './errors.js';

/**
 * Writes a file atomically: the bytes go to `<path>.tmp`, are flushed to disk (fsync), and the
 * temporary file is renamed over `path`; the directory is synced so the rename itself survives a
 * crash. Readers see the old file or the new one, never a mix; when any step fails the temporary
 * file is removed and `path` is left as it was.
 *
 * @param path - the file to replace.
 * @param bytes - its new contents.
 * @param action - what this write is, for the error message (`write the checkpoint`).
 * @throws OutputWriteError naming the path and the operating system's error.
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomic } from '@dropkit/lab';
 * const file = join(mkdtempSync(join(tmpdir(), 'lab-')), 'a.txt');
 * writeFileAtomic(file, new TextEncoder().encode('first'), 'write a note');
 * writeFileAtomic(file, new TextEncoder().encode('second'), 'write a note');
 * console.log(readFileSync(file, 'utf8')); // second
 * ```
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, action: string): void {
  const tmp = `${path}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    let offset = 0;
    while (offset < bytes.length) {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already failing; the write error is the one to report.
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing to clean up.
    }
    throw new OutputWriteError(path, action, e);
  }
  syncDirectory(dirname(path));
}

/** Flushes a directory entry (a rename) to disk; some file systems refuse, which is harmless. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be fsynced everywhere (Windows); the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
