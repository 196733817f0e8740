import { DropkitError } from '@dropkit/core';

/**
 * Thrown when a run cannot write its output (an unwritable or missing directory, a full disk):
 * the message names the path and the operating system's error. A checkpoint that fails to write
 * leaves the last good one in place.
 *
 * @example
 * ```ts
 * import { OutputWriteError } from '@dropkit/lab';
 * const cause = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
 * const err = new OutputWriteError('/runs/a/checkpoint.bin', 'write the checkpoint', cause);
 * console.log(err.message); // Cannot write the checkpoint /runs/a/checkpoint.bin: ENOSPC (no space left on device). The last good checkpoint is kept.
 * ```
 */
export class OutputWriteError extends DropkitError {
  /** The file or directory that could not be written. */
  readonly path: string;
  /** The operating system's error code (`ENOSPC`, `EACCES`, ...), when it has one. */
  readonly code: string | undefined;

  /**
   * @param path - the file or directory.
   * @param action - what was being done, e.g. `write the checkpoint`.
   * @param cause - the operating system's error.
   */
  constructor(path: string, action: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const codeText = typeof code === 'string' ? code : undefined;
    const raw = String((cause as Error | null)?.message ?? cause);
    // Node's messages repeat the code and the path ("ENOSPC: no space left on device, write").
    const reason = raw.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
    super(
      `Cannot ${action} ${path}: ${codeText ? `${codeText} (${reason})` : reason}.` +
        (action.includes('checkpoint') ? ' The last good checkpoint is kept.' : ''),
    );
    this.cause = cause;
    this.path = path;
    this.code = codeText;
  }
}
