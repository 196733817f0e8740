import { formatSchedule, type Schedule, scheduleSteps, toArray } from '@dropkit/schedules';

/** The training length a schedule table is drawn for. */
export interface TableLength {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
}

/**
 * One row per epoch and one column per schedule: the rate at the epoch's first step, and the
 * mean over the epoch where it changes within the epoch.
 */
export function scheduleTable(schedules: readonly Schedule[], length: TableLength): string {
  const total = length.epochs * length.stepsPerEpoch;
  const arrays = schedules.map((s) => toArray(s, total, { stepsPerEpoch: length.stepsPerEpoch }));
  const headers = ['epoch', 'steps', ...schedules.map((s) => formatSchedule(s))];
  const rows: string[][] = [];
  for (let e = 0; e < length.epochs; e++) {
    const from = e * length.stepsPerEpoch;
    const to = from + length.stepsPerEpoch;
    const cells = arrays.map((a) => {
      const slice = a.slice(from, to);
      const first = slice[0] as number;
      const mean = slice.reduce((x, y) => x + y, 0) / slice.length;
      const last = slice[slice.length - 1] as number;
      return first === last && Math.abs(mean - first) < 1e-12
        ? fmt(first)
        : `${fmt(first)} -> ${fmt(last)} (mean ${fmt(mean)})`;
    });
    rows.push([String(e), `${from}-${to - 1}`, ...cells]);
  }
  return markdownTable(headers, rows);
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4).replace(/0+$/, ''));

/** A markdown table with columns padded to their widest cell. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * A terminal plot of schedules over training: one letter per schedule, rate on the vertical axis.
 */
export function schedulePlot(
  schedules: readonly Schedule[],
  length: TableLength,
  size: { width: number; height: number } = { width: 64, height: 10 },
): string {
  const total = length.epochs * length.stepsPerEpoch;
  const arrays = schedules.map((s) => toArray(s, total, { stepsPerEpoch: length.stepsPerEpoch }));
  const top = Math.max(1e-9, ...schedules.map((s) => s.rate));
  const grid = Array.from({ length: size.height + 1 }, () =>
    new Array<string>(size.width).fill(' '),
  );
  const marks = 'ABCDEFGHIJ';
  arrays.forEach((a, k) => {
    for (let x = 0; x < size.width; x++) {
      const step = Math.min(total - 1, Math.floor((x * total) / size.width));
      const y = Math.round(((a[step] as number) / top) * size.height);
      const row = grid[size.height - y] as string[];
      row[x] = row[x] === ' ' ? (marks[k] as string) : '*';
    }
  });
  const label = (r: number) => {
    const v = (top * (size.height - r)) / size.height;
    return r === 0 || r === size.height ? v.toFixed(3).padStart(6) : ' '.repeat(6);
  };
  const lines = grid.map((row, r) => `${label(r)} |${row.join('')}`);
  lines.push(`${' '.repeat(6)} +${'-'.repeat(size.width)}`);
  lines.push(
    `${' '.repeat(8)}step 0${' '.repeat(Math.max(1, size.width - 12 - String(total).length))}step ${total}`,
  );
  schedules.forEach((s, k) => {
    const { cutoffSteps } = scheduleSteps(s, { stepsPerEpoch: length.stepsPerEpoch });
    lines.push(
      `  ${marks[k]} = ${formatSchedule(s)}${s.cutoff ? ` (cutoff at step ${cutoffSteps})` : ''}`,
    );
  });
  lines.push('  * = overlapping');
  return lines.join('\n');
}
