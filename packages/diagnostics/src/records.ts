import { DropkitError, InvalidArgumentError } from '@dropkit/core';

/** What one measurement cost. */
export interface MeasurementCost {
  /** Wall-clock milliseconds, data reads included. */
  readonly ms: number;
  /**
   * The most tensors alive at once beyond those alive when it started, sampled after each
   * forward pass and each gradient: a lower bound of the true peak, for one `tf.memory()` call
   * per sample.
   */
  readonly peakTensors: number;
  /** The same for bytes. */
  readonly peakBytes: number;
}

/** One line of a recorder's series: the values measured at one step and what they cost. */
export interface DiagnosticsRecord {
  /** The step index (optimizer steps taken when measured through the fit callback). */
  readonly step: number;
  /** The epoch, when measured through the fit callback. */
  readonly epoch?: number;
  /** `Date.now()` when the record was completed. */
  readonly time: number;
  /** Each probe's result, by probe name. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Each probe's cost, by probe name. */
  readonly costs: Readonly<Record<string, MeasurementCost>>;
  /** Each failed probe's error message, by probe name (recorders with `onError: 'record'`). */
  readonly errors?: Readonly<Record<string, string>>;
}

/**
 * Parses JSONL text (a recorder's file) back into records, skipping blank lines. A last line cut
 * short by an interrupted write is dropped, not an error: every complete line before it is kept.
 *
 * @param text - the file's contents.
 * @returns the records, in file order.
 * @throws DropkitError for a malformed line that is not the last one.
 * @example
 * ```ts
 * import { parseJsonl } from '@dropkit/diagnostics';
 * const text = '{"step":0,"time":1,"values":{"a":1},"costs":{}}\n{"step":10,"ti';
 * console.log(parseJsonl(text).map((r) => r.step)); // [ 0 ]
 * ```
 */
export function parseJsonl(text: string): DiagnosticsRecord[] {
  if (typeof text !== 'string') throw new InvalidArgumentError('text', text, 'a string');
  const lines = text.split('\n');
  const out: DiagnosticsRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as DiagnosticsRecord);
    } catch (cause) {
      const last = lines.slice(i + 1).every((l) => l.trim() === '');
      if (last) return;
      throw new DropkitError(`Line ${i + 1} of the JSONL text is not JSON: ${String(cause)}`);
    }
  });
  return out;
}

/** A time series pulled out of records: the steps where the value exists, and the values. */
export interface Series {
  readonly steps: number[];
  readonly values: unknown[];
}

/**
 * Pulls one quantity out of records as a time series, by a dotted path into each record's
 * `values` (e.g. `gradientNorm.total`, `gradientNorm.byLayer.dense_1`, `gradientDirection.gdv`).
 * Records where the path is missing are skipped.
 *
 * @param records - the records (a recorder's `records` or {@link parseJsonl}'s output).
 * @param path - the dotted path; a key containing a dot can be given as an array of keys.
 * @returns `{steps, values}`.
 * @example
 * ```ts
 * import { seriesOf } from '@dropkit/diagnostics';
 * const records = [
 *   { step: 0, time: 0, values: { gradientNorm: { total: 2 } }, costs: {} },
 *   { step: 5, time: 0, values: {}, costs: {} },
 *   { step: 10, time: 0, values: { gradientNorm: { total: 1.5 } }, costs: {} },
 * ];
 * console.log(seriesOf(records, 'gradientNorm.total')); // { steps: [ 0, 10 ], values: [ 2, 1.5 ] }
 * ```
 */
export function seriesOf(
  records: readonly DiagnosticsRecord[],
  path: string | readonly string[],
): Series {
  const keys = typeof path === 'string' ? path.split('.') : [...path];
  if (keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
    throw new InvalidArgumentError('path', path, 'a dotted path of non-empty keys');
  }
  const steps: number[] = [];
  const values: unknown[] = [];
  for (const r of records) {
    let v: unknown = r.values;
    for (const k of keys) {
      v =
        v !== null && typeof v === 'object' && Object.hasOwn(v, k)
          ? (v as Record<string, unknown>)[k]
          : undefined;
      if (v === undefined) break;
    }
    if (v === undefined) continue;
    steps.push(r.step);
    values.push(v);
  }
  return { steps, values };
}
