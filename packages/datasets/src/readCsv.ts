import { assertInteger, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { Dataset } from './Dataset.js';
import { DataFormatError } from './errors.js';
import { type ByteSource, readBytes } from './readBytes.js';

/** Options of {@link parseCsv} and {@link readCsv}. */
export interface CsvOptions {
  /** The first row names the columns. Default true. */
  readonly header?: boolean;
  /** The field separator, one character other than `"`, CR or LF. Default `','`. */
  readonly delimiter?: string;
  /**
   * The label column: a header name or a 0-based index. Default: the last column. Every other
   * column is a numeric feature.
   */
  readonly labelColumn?: string | number;
  /** `'classification'` (default): labels are classes; `'regression'`: numeric targets. */
  readonly task?: 'classification' | 'regression';
  /**
   * Class names in index order: label cells must be one of them. Without it, labels that are all
   * non-negative integers are class indices, and other labels are names, indexed in sorted
   * (code-unit) order, so the indices do not depend on the order of the rows.
   */
  readonly classNames?: readonly string[];
  /** The number of classes for integer labels. Default: the largest label + 1. */
  readonly numClasses?: number;
  /** The name used in error messages and as the dataset's name. Default: the path or `"<csv>"`. */
  readonly name?: string;
}

interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INDEX = /^\d+$/;

/** RFC 4180 records: quoted fields (with `""` for a quote), CRLF / LF / CR line ends. */
function records(text: string, delimiter: string, name: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !quoted;
    endField();
    // A line with nothing on it is not a record (blank lines, the final newline).
    if (!blank) out.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '"' && field === '' && !quoted) {
      const openLine = line;
      const openColumn = fields.length + 1;
      quoted = true;
      i++;
      for (;;) {
        if (i >= n) {
          throw new DataFormatError(name, 'a quoted field is never closed', {
            line: openLine,
            column: openColumn,
          });
        }
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      const after = text[i];
      if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') {
        throw new DataFormatError(
          name,
          `unexpected ${JSON.stringify(after)} after the closing quote of a field`,
          { line, column: fields.length + 1 },
        );
      }
      continue;
    }
    if (c === delimiter) {
      endField();
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || quoted || fields.length > 0) endRecord();
  return out;
}

function parseNumber(cell: string, name: string, line: number, column: number, col: string) {
  const s = cell.trim();
  if (s === '') {
    throw new DataFormatError(name, `empty cell in column ${col} (a missing value)`, {
      line,
      column,
    });
  }
  if (!NUMBER.test(s)) {
    throw new DataFormatError(
      name,
      `cannot parse ${JSON.stringify(cell)} in column ${col} as a number`,
      { line, column },
    );
  }
  const v = Number(s);
  if (!Number.isFinite(Math.fround(v))) {
    throw new DataFormatError(name, `${s} in column ${col} is outside the float32 range`, {
      line,
      column,
    });
  }
  return v;
}

/**
 * Parses CSV text into a {@link Dataset}: one example per row, the label column as class or
 * target, every other column a float32 feature (`featureShape` `[columns - 1]`, `featureNames`
 * from the header). Quoted fields and CRLF line ends are handled; blank lines are skipped.
 *
 * @param text - the CSV text.
 * @param options - {@link CsvOptions}.
 * @returns the dataset.
 * @throws DataFormatError naming the file, line and column for a ragged row, an empty or
 *   non-numeric cell, an unknown class name, a class index out of range or an unclosed quote;
 *   InvalidArgumentError for bad options (an unknown label column, a bad delimiter).
 * @example
 * ```ts
 * import { parseCsv } from '@dropkit/datasets';
 * const ds = parseCsv('x,y,species\n1,2,cat\n3,4,dog\n5,6,cat\n', { name: 'pets.csv' });
 * console.log(ds.featureNames, ds.classNames, ds.labels); // [ 'x', 'y' ] [ 'cat', 'dog' ] Int32Array(3) [ 0, 1, 0 ]
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  if (typeof text !== 'string') throw new InvalidArgumentError('text', text, 'a string');
  const name = options.name ?? '<csv>';
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new InvalidArgumentError('delimiter', delimiter, 'one character other than ", CR or LF');
  }
  const task = assertOneOf('task', options.task ?? 'classification', [
    'classification',
    'regression',
  ] as const);
  const header = options.header ?? true;
  const rows = records(text.startsWith('\ufeff') ? text.slice(1) : text, delimiter, name);
  const head = header ? rows.shift() : undefined;
  const width = head?.fields.length ?? rows[0]?.fields.length;
  if (width === undefined) throw new DataFormatError(name, 'contains no rows', { line: 1 });
  if (width < 2) {
    throw new DataFormatError(
      name,
      `has ${width} column; a dataset needs a label column and at least one feature column`,
      { line: head?.line ?? 1 },
    );
  }
  const columnNames = head?.fields.map((f) => f.trim()) ?? [];
  let label: number;
  if (options.labelColumn === undefined) {
    label = width - 1;
  } else if (typeof options.labelColumn === 'string') {
    label = columnNames.indexOf(options.labelColumn);
    if (label < 0) {
      throw new InvalidArgumentError(
        'labelColumn',
        options.labelColumn,
        head ? `one of the header's names ${JSON.stringify(columnNames)}` : 'an index (no header)',
      );
    }
  } else {
    label = assertInteger('labelColumn', options.labelColumn, { min: 0, max: width - 1 });
  }
  const colName = (c: number) =>
    head ? `${c + 1} (${JSON.stringify(columnNames[c])})` : `${c + 1}`;
  const nFeatures = width - 1;
  const features = new Float32Array(rows.length * nFeatures);
  const labelCells: string[] = [];
  rows.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new DataFormatError(
        name,
        `ragged row: ${row.fields.length} fields, expected ${width}` +
          (head ? ` as in the header (line ${head.line})` : ' as in the first row'),
        { line: row.line, column: Math.min(row.fields.length, width) + 1 },
      );
    }
    let o = r * nFeatures;
    for (let c = 0; c < width; c++) {
      const cell = row.fields[c] as string;
      if (c === label) labelCells.push(cell.trim());
      else features[o++] = parseNumber(cell, name, row.line, c + 1, colName(c));
    }
  });
  const lineOf = (r: number) => (rows[r] as CsvRecord).line;
  const common = {
    features,
    featureShape: [nFeatures],
    name,
    ...(head ? { featureNames: columnNames.filter((_, c) => c !== label) } : {}),
  };
  if (task === 'regression') {
    const targets = Float32Array.from(labelCells, (cell, r) =>
      parseNumber(cell, name, lineOf(r), label + 1, colName(label)),
    );
    return new Dataset({ ...common, labels: targets });
  }
  let classNames = options.classNames;
  let indices: Int32Array;
  if (classNames === undefined && labelCells.every((s) => INDEX.test(s))) {
    indices = Int32Array.from(labelCells, Number);
    const numClasses =
      options.numClasses === undefined
        ? indices.reduce((a, b) => Math.max(a, b + 1), 1)
        : assertInteger('numClasses', options.numClasses, { min: 1 });
    indices.forEach((v, r) => {
      if (v >= numClasses) {
        throw new DataFormatError(
          name,
          `class ${v} in column ${colName(label)} is out of range for ${numClasses} classes (expected 0..${numClasses - 1})`,
          { line: lineOf(r), column: label + 1 },
        );
      }
    });
    return new Dataset({ ...common, labels: indices, numClasses });
  }
  const known = classNames !== undefined;
  classNames ??= [...new Set(labelCells)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (!known && options.numClasses !== undefined && options.numClasses !== classNames.length) {
    throw new InvalidArgumentError(
      'numClasses',
      options.numClasses,
      `${classNames.length}, the number of distinct class names in ${name}`,
    );
  }
  const index = new Map(classNames.map((c, i) => [c, i]));
  indices = Int32Array.from(labelCells, (cell, r) => {
    const k = index.get(cell);
    if (k === undefined) {
      throw new DataFormatError(
        name,
        `unknown class ${JSON.stringify(cell)} in column ${colName(label)} (expected one of ${JSON.stringify(classNames)})`,
        { line: lineOf(r), column: label + 1 },
      );
    }
    return k;
  });
  return new Dataset({ ...common, labels: indices, numClasses: classNames.length, classNames });
}

/**
 * Reads a CSV file (path or `file:` URL in Node, or bytes; UTF-8, gzip detected) into a
 * {@link Dataset}, as {@link parseCsv} does.
 *
 * @param source - a path, `file:` URL, Uint8Array or ArrayBuffer.
 * @param options - {@link CsvOptions}; `name` defaults to the path.
 * @returns the dataset.
 * @throws DataFormatError as {@link parseCsv} does, naming the file.
 * @example
 * ```ts
 * import { readCsv } from '@dropkit/datasets';
 * const bytes = new TextEncoder().encode('a;b;target\n1;2;0.5\n3;4;1.5\n');
 * const ds = await readCsv(bytes, { delimiter: ';', task: 'regression' });
 * console.log(ds.size, ds.labels); // 2 Float32Array(2) [ 0.5, 1.5 ]
 * ```
 */
export async function readCsv(source: ByteSource, options: CsvOptions = {}): Promise<Dataset> {
  const given =
    options.name ??
    (source instanceof Uint8Array || source instanceof ArrayBuffer ? '<csv>' : undefined);
  const { bytes, name } = await readBytes(source, given);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataFormatError(name, 'is not valid UTF-8 text');
  }
  return parseCsv(text, { ...options, name });
}
