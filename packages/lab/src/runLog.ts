import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { OutputWriteError } from './errors.js';

/** The first line of a run's log: what ran, on what. */
export interface StartRecord {
  readonly type: 'start';
  /** The resolved config. */
  readonly config: Record<string, unknown>;
  /** The data actually used (`mnist`, or the synthetic fallback). */
  readonly source: string;
  readonly trainSize: number;
  readonly testSize: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly parameters: number;
  /** The tfjs backend (`cpu`, `wasm`, `webgpu`, `tensorflow`). */
  readonly backend: string;
}

/** One optimizer step (every `logEvery` steps). */
export interface StepRecord {
  readonly type: 'step';
  readonly step: number;
  readonly epoch: number;
  /** The mini-batch loss, dropout on at the scheduled rate. */
  readonly loss: number;
  /** The dropout rate of this step, when scheduled. */
  readonly dropout?: number;
  /** The drop-path rate of this step (deepest block), when scheduled. */
  readonly dropPath?: number;
}

/** The end of an epoch: losses and accuracies in inference mode. */
export interface EpochRecord {
  readonly type: 'epoch';
  readonly epoch: number;
  /** Steps done. */
  readonly step: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  /** Classification sets only. */
  readonly trainAccuracy?: number;
  readonly testAccuracy?: number;
}

/** Diagnostics at a step (before its update), or `final` after the last step. */
export interface DiagnosticsLogRecord {
  readonly type: 'diagnostics' | 'final';
  readonly step: number;
  readonly gradientNorm?: number;
  readonly distance?: number;
  readonly gdv?: number;
  readonly gde?: number;
  readonly condensation?: {
    readonly layer: string;
    readonly units: number;
    readonly clusterCount: number;
    readonly largestClusterFraction: number;
    /** The file with the cosine matrix, relative to the run directory. */
    readonly file: string;
  };
  readonly hessianTop?: number;
}

/** The last line of a finished run. */
export interface EndRecord {
  readonly type: 'end';
  readonly steps: number;
}

/** Any line of a run's JSONL log. */
export type RunRecord = StartRecord | StepRecord | EpochRecord | DiagnosticsLogRecord | EndRecord;

/**
 * The append-only JSONL log of a run: one JSON object a line, written with `write(2)` as it
 * happens; `sync()` flushes it to disk (before each checkpoint, which records the log's length).
 */
export class RunLog {
  /** The log file. */
  readonly path: string;
  #fd: number | undefined;
  #bytes: number;

  /**
   * Opens (creating) the log and cuts it to `keepBytes`: the lines a resumed run will write again.
   *
   * @param path - the JSONL file.
   * @param keepBytes - the length to keep (0 for a new run).
   * @throws OutputWriteError when the file cannot be opened or cut.
   */
  constructor(path: string, keepBytes: number) {
    this.path = path;
    try {
      this.#fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
      ftruncateSync(this.#fd, keepBytes);
    } catch (e) {
      this.close();
      throw new OutputWriteError(path, 'open the log', e);
    }
    this.#bytes = keepBytes;
  }

  /** The log's length in bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Appends one record as a line.
   *
   * @param record - a JSON-serializable record.
   * @throws OutputWriteError on a failed write (a full disk).
   */
  append(record: RunRecord): void {
    const bytes = new TextEncoder().encode(`${JSON.stringify(record)}\n`);
    try {
      let offset = 0;
      while (offset < bytes.length) {
        offset += writeSync(
          this.#fd as number,
          bytes,
          offset,
          bytes.length - offset,
          this.#bytes + offset,
        );
      }
    } catch (e) {
      throw new OutputWriteError(this.path, 'append to the log', e);
    }
    this.#bytes += bytes.length;
  }

  /** Flushes the log to disk. @throws OutputWriteError when the flush fails. */
  sync(): void {
    try {
      fsyncSync(this.#fd as number);
    } catch (e) {
      throw new OutputWriteError(this.path, 'flush the log', e);
    }
  }

  /** Closes the file; calling it again does nothing. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/**
 * Reads the records of a run's log (`<runDir>/log.jsonl`, or a `.jsonl` path).
 *
 * @param path - a run directory or its log file.
 * @returns the records in order.
 * @throws InvalidArgumentError naming the file and line for a missing file or a malformed line.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readRunLog } from '@dropkit/lab';
 * const dir = mkdtempSync(join(tmpdir(), 'lab-'));
 * writeFileSync(join(dir, 'log.jsonl'), '{"type":"step","step":0,"epoch":0,"loss":2.3}\n');
 * console.log(readRunLog(dir).map((r) => r.type)); // [ 'step' ]
 * ```
 */
export function readRunLog(path: string): RunRecord[] {
  const file = path.endsWith('.jsonl') ? path : join(path, LOG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError('run log', file, `a readable run log (${(e as Error).message})`);
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as RunRecord;
    } catch {
      throw new InvalidArgumentError(`${file}, line ${i + 1}`, line, 'one JSON object');
    }
  });
}

/** The log's file name inside a run directory. */
export const LOG_FILE = 'log.jsonl';
/** The checkpoint's file name inside a run directory. */
export const CHECKPOINT_FILE = 'checkpoint.bin';
