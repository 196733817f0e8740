import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { heatmapSvg } from '@dropkit/diagnostics';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from './atomicWrite.js';
import type {
  DiagnosticsLogRecord,
  EpochRecord,
  RunRecord,
  StartRecord,
  StepRecord,
} from './runLog.js';
import { readRunLog } from './runLog.js';

/** One point of a chart: x, y, the run it belongs to and the series within the run. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  readonly run: string;
  readonly series: string;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** The chart's title. */
  readonly title: string;
  /** The x axis title. */
  readonly xTitle: string;
  /** The y axis title. */
  readonly yTitle: string;
  /** Log-scale y axis. Default false. */
  readonly logY?: boolean;
  /** Width in pixels. Default 480. */
  readonly width?: number;
}

/**
 * Renders a line chart to an SVG string with Vega-Lite (compiled to Vega, rendered headless in
 * Node): one colour per run, one dash pattern per series (train / test, GDV / GDE).
 *
 * @param points - the {@link ChartPoint}s.
 * @param options - {@link LineChartOptions}.
 * @returns the SVG document.
 * @example
 * ```ts
 * import { lineChartSvg } from '@dropkit/lab';
 * const svg = await lineChartSvg(
 *   [{ x: 0, y: 1, run: 'early', series: 'train' }, { x: 1, y: 0.5, run: 'early', series: 'train' }],
 *   { title: 'loss', xTitle: 'epoch', yTitle: 'loss' },
 * );
 * console.log(svg.startsWith('<svg'), svg.includes('early')); // true true
 * ```
 */
export async function lineChartSvg(
  points: readonly ChartPoint[],
  options: LineChartOptions,
): Promise<string> {
  const multiSeries = new Set(points.map((p) => p.series)).size > 1;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: options.width ?? 480,
    height: 260,
    background: 'white',
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: points.length <= 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        scale: options.logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'run', type: 'nominal', title: 'run' },
      ...(multiSeries
        ? { strokeDash: { field: 'series', type: 'nominal' as const, title: 'series' } }
        : {}),
      detail: { field: 'series', type: 'nominal' },
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The numbers a run ended with, for tables. */
export interface RunSummary {
  /** The run's label (its directory name). */
  readonly label: string;
  /** The run directory. */
  readonly dir: string;
  /** The experiment's name. */
  readonly name: string;
  /** The dropout schedule in words, or `none`. */
  readonly schedule: string;
  /** Whether the log has its `end` line. */
  readonly complete: boolean;
  /** The last epoch's record. */
  readonly lastEpoch: EpochRecord | null;
  /** The final diagnostics, when measured. */
  readonly final: DiagnosticsLogRecord | null;
  /** The diagnostics at step 0, when measured. */
  readonly initial: DiagnosticsLogRecord | null;
}

function describeSchedule(config: Record<string, unknown> | undefined): string {
  const schedule = (config?.schedule ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const parts: string[] = [];
  for (const kind of ['dropout', 'dropPath']) {
    const s = schedule[kind];
    if (s === undefined) continue;
    const cutoff = s.cutoff as { value: number; unit: string } | undefined;
    const c = cutoff ? `, cutoff ${cutoff.value}${cutoff.unit === 'epoch' ? 'ep' : 'st'}` : '';
    parts.push(
      `${kind} ${s.mode} ${s.rate}${s.shape && s.shape !== 'constant' ? ` ${s.shape}` : ''}${c}`,
    );
  }
  return parts.length === 0 ? 'none' : parts.join('; ');
}

/**
 * Reads a run directory's log into a {@link RunSummary}: its last epoch, its first and final
 * diagnostics and whether it finished.
 *
 * @param dir - a run directory.
 * @param records - its records, if already read.
 * @returns the summary.
 * @throws InvalidArgumentError for a directory without a readable log.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { summarizeRun } from '@dropkit/lab';
 * const dir = mkdtempSync(join(tmpdir(), 'lab-'));
 * writeFileSync(join(dir, 'log.jsonl'), '{"type":"epoch","epoch":0,"step":4,"trainLoss":0.5,"testLoss":0.6}\n');
 * console.log(summarizeRun(dir).lastEpoch?.testLoss); // 0.6
 * ```
 */
export function summarizeRun(
  dir: string,
  records: readonly RunRecord[] = readRunLog(dir),
): RunSummary {
  const start = records.find((r): r is StartRecord => r.type === 'start');
  const epochs = records.filter((r): r is EpochRecord => r.type === 'epoch');
  const diags = records.filter((r): r is DiagnosticsLogRecord => r.type === 'diagnostics');
  return {
    label: basename(resolve(dir)),
    dir,
    name: String(start?.config.name ?? basename(dir)),
    schedule: describeSchedule(start?.config),
    complete: records.some((r) => r.type === 'end'),
    lastEpoch: epochs[epochs.length - 1] ?? null,
    final: records.find((r): r is DiagnosticsLogRecord => r.type === 'final') ?? null,
    initial: diags.find((r) => r.step === 0) ?? null,
  };
}

const fmt = (v: number | undefined, digits = 4): string =>
  v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(digits)).toString();
const pct = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 100).toFixed(2)}%`);

/**
 * A markdown table of runs, one row per run: schedule, final train and test loss and accuracy,
 * and the final diagnostics that were measured.
 *
 * @param summaries - {@link RunSummary}s, e.g. from {@link summarizeRun}.
 * @returns the table, lines joined with `\n`.
 * @example
 * ```ts
 * import { runsTable } from '@dropkit/lab';
 * const table = runsTable([{ label: 'a', dir: 'a', name: 'a', schedule: 'none', complete: true, final: null, initial: null,
 *   lastEpoch: { type: 'epoch', epoch: 1, step: 8, trainLoss: 0.25, testLoss: 0.5, trainAccuracy: 0.9, testAccuracy: 0.8 } }]);
 * console.log(table.split('\n')[2]); // | a | none | 0.25 | 0.5 | 90.00% | 80.00% | - | - | - | - |
 * ```
 */
export function runsTable(summaries: readonly RunSummary[]): string {
  const head = [
    'run',
    'schedule',
    'train loss',
    'test loss',
    'train acc',
    'test acc',
    'grad norm',
    'distance',
    'top Hessian eig.',
    'clusters',
  ];
  const rows = summaries.map((s) => {
    const e = s.lastEpoch;
    const f = s.final;
    return [
      s.complete ? s.label : `${s.label} (unfinished)`,
      s.schedule,
      fmt(e?.trainLoss),
      fmt(e?.testLoss),
      pct(e?.trainAccuracy),
      pct(e?.testAccuracy),
      fmt(f?.gradientNorm),
      fmt(f?.distance),
      fmt(f?.hessianTop),
      f?.condensation ? `${f.condensation.clusterCount} / ${f.condensation.units}` : '-',
    ];
  });
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** The report's title. Default `dropkit lab report`. */
  readonly title?: string;
  /** Markdown put above the table (a results summary, say). */
  readonly preamble?: string;
}

/** What {@link writeReport} wrote. */
export interface ReportFiles {
  /** `index.html`. */
  readonly html: string;
  /** `report.md`. */
  readonly markdown: string;
  /** The SVG charts, in page order. */
  readonly charts: readonly string[];
  /** The runs, as summarized. */
  readonly runs: readonly RunSummary[];
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

/**
 * Writes a report of one or more run directories into `outDir`: SVG charts (train and test loss
 * and accuracy per epoch, batch loss and dropout rate per step, gradient norm, distance from
 * init, GDV and GDE, a condensation heat map per run that measured it), `report.md` (the runs
 * table) and `index.html` (the table and every chart). Charts without data are left out.
 *
 * @param runDirs - run directories written by `run`.
 * @param outDir - where to write; created if needed.
 * @param options - {@link ReportOptions}.
 * @returns the {@link ReportFiles}.
 * @throws InvalidArgumentError for no runs or a directory without a log; OutputWriteError when
 *   the report cannot be written.
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { run, writeReport } from '@dropkit/lab';
 * const root = mkdtempSync(join(tmpdir(), 'lab-'));
 * const base = { model: { kind: 'mlp', hidden: [8] }, dataset: { kind: 'twoSpirals', trainSize: 32 }, training: { epochs: 2, batchSize: 16 }, backend: 'cpu' } as const;
 * await run(base, { outDir: join(root, 'none') });
 * await run({ ...base, schedule: { dropout: 'standard:0.2' } }, { outDir: join(root, 'standard') });
 * const report = await writeReport([join(root, 'none'), join(root, 'standard')], join(root, 'report'));
 * console.log(report.runs.map((r) => r.label), report.charts.length > 0); // [ 'none', 'standard' ] true
 * ```
 */
export async function writeReport(
  runDirs: readonly string[],
  outDir: string,
  options: ReportOptions = {},
): Promise<ReportFiles> {
  if (runDirs.length === 0) {
    throw new InvalidArgumentError('runDirs', runDirs, 'at least one run directory');
  }
  mkdirSync(outDir, { recursive: true });
  const logs = runDirs.map((dir) => ({ dir, records: readRunLog(dir) }));
  const runs = logs.map(({ dir, records }) => summarizeRun(dir, records));
  const labels = runs.map((r) => r.label);
  const points = (pick: (records: readonly RunRecord[], run: string) => ChartPoint[]) =>
    logs.flatMap(({ records }, i) => pick(records, labels[i] as string));
  const epochs = (records: readonly RunRecord[]) =>
    records.filter((r): r is EpochRecord => r.type === 'epoch');
  const diagnostics = (records: readonly RunRecord[]) =>
    records.filter(
      (r): r is DiagnosticsLogRecord => r.type === 'diagnostics' || r.type === 'final',
    );
  const steps = (records: readonly RunRecord[]) =>
    records.filter((r): r is StepRecord => r.type === 'step');
  const series = (
    records: readonly DiagnosticsLogRecord[],
    run: string,
    key: 'gradientNorm' | 'distance' | 'gdv' | 'gde' | 'hessianTop',
    name: string = key,
  ): ChartPoint[] =>
    records.flatMap((r) => {
      const y = r[key];
      return y === undefined ? [] : [{ x: r.step, y, run, series: name }];
    });

  const charts: { file: string; title: string; svg: Promise<string> }[] = [];
  const chart = (file: string, data: ChartPoint[], o: LineChartOptions) => {
    if (data.length > 0) charts.push({ file, title: o.title, svg: lineChartSvg(data, o) });
  };
  chart(
    'loss.svg',
    points((rs, run) =>
      epochs(rs).flatMap((e) => [
        { x: e.epoch + 1, y: e.trainLoss, run, series: 'train' },
        { x: e.epoch + 1, y: e.testLoss, run, series: 'test' },
      ]),
    ),
    { title: 'Loss per epoch (inference mode)', xTitle: 'epoch', yTitle: 'loss', logY: true },
  );
  chart(
    'accuracy.svg',
    points((rs, run) =>
      epochs(rs).flatMap((e) =>
        e.trainAccuracy === undefined || e.testAccuracy === undefined
          ? []
          : [
              { x: e.epoch + 1, y: e.trainAccuracy, run, series: 'train' },
              { x: e.epoch + 1, y: e.testAccuracy, run, series: 'test' },
            ],
      ),
    ),
    { title: 'Accuracy per epoch', xTitle: 'epoch', yTitle: 'accuracy' },
  );
  chart(
    'batch-loss.svg',
    points((rs, run) => steps(rs).map((s) => ({ x: s.step, y: s.loss, run, series: 'batch' }))),
    { title: 'Mini-batch loss (dropout on)', xTitle: 'step', yTitle: 'loss', logY: true },
  );
  chart(
    'rates.svg',
    points((rs, run) =>
      steps(rs).flatMap((s) => [
        ...(s.dropout === undefined ? [] : [{ x: s.step, y: s.dropout, run, series: 'dropout' }]),
        ...(s.dropPath === undefined
          ? []
          : [{ x: s.step, y: s.dropPath, run, series: 'drop path' }]),
      ]),
    ),
    { title: 'Scheduled rates', xTitle: 'step', yTitle: 'rate' },
  );
  chart(
    'gradient-norm.svg',
    points((rs, run) => series(diagnostics(rs), run, 'gradientNorm')),
    {
      title: 'Gradient norm ||g||',
      xTitle: 'step',
      yTitle: 'norm',
    },
  );
  chart(
    'distance.svg',
    points((rs, run) => series(diagnostics(rs), run, 'distance')),
    {
      title: 'Distance from initialization ||W - W0||',
      xTitle: 'step',
      yTitle: 'distance',
    },
  );
  chart(
    'gdv-gde.svg',
    points((rs, run) => [
      ...series(diagnostics(rs), run, 'gdv', 'GDV'),
      ...series(diagnostics(rs), run, 'gde', 'GDE'),
    ]),
    {
      title: 'Gradient direction variance (GDV) and error (GDE)',
      xTitle: 'step',
      yTitle: '1 - cos',
    },
  );
  const heatmaps: { file: string; title: string; svg: string }[] = [];
  for (const r of runs) {
    for (const which of ['0', 'final']) {
      const file = join(r.dir, `condensation-${which}.json`);
      if (!existsSync(file)) continue;
      const m = JSON.parse(readFileSync(file, 'utf8')) as {
        layer: string;
        matrix: number[][];
        order: number[];
      };
      const title = `${r.label}: ${m.layer} at ${which === '0' ? 'init' : 'the end'}`;
      heatmaps.push({
        file: `condensation-${r.label}-${which === '0' ? 'init' : 'final'}.svg`,
        title: `Condensation, ${title}`,
        svg: heatmapSvg(m.matrix, {
          order: m.order,
          title,
          cellSize: Math.max(2, Math.floor(256 / m.matrix.length)),
        }),
      });
    }
  }
  const rendered = [
    ...(await Promise.all(
      charts.map(async (c) => ({ file: c.file, title: c.title, svg: await c.svg })),
    )),
    ...heatmaps,
  ];
  for (const c of rendered) {
    writeFileAtomic(join(outDir, c.file), new TextEncoder().encode(c.svg), 'write the chart');
  }
  const title = options.title ?? 'dropkit lab report';
  const table = runsTable(runs);
  const markdown = [
    `# ${title}`,
    '',
    ...(options.preamble ? [options.preamble, ''] : []),
    table,
    '',
    ...rendered.map((c) => `![${c.title}](${c.file})`),
    '',
  ].join('\n');
  const runLinks = runs
    .map(
      (r) =>
        `<li><code>${escapeHtml(relative(outDir, r.dir) || '.')}</code>: ${escapeHtml(r.schedule)}</li>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}td:first-child,td:nth-child(2){text-align:left}
figure{display:inline-block;margin:1rem}pre{white-space:pre-wrap}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${options.preamble ? `<pre>${escapeHtml(options.preamble)}</pre>` : ''}
${markdownTableToHtml(table)}
<ul>${runLinks}</ul>
${rendered.map((c) => `<figure><a href="${c.file}"><img src="${c.file}" alt="${escapeHtml(c.title)}"></a><figcaption>${escapeHtml(c.title)}</figcaption></figure>`).join('\n')}
</body></html>
`;
  const htmlPath = join(outDir, 'index.html');
  const mdPath = join(outDir, 'report.md');
  writeFileAtomic(htmlPath, new TextEncoder().encode(html), 'write the report');
  writeFileAtomic(mdPath, new TextEncoder().encode(markdown), 'write the report');
  return {
    html: htmlPath,
    markdown: mdPath,
    charts: rendered.map((c) => join(outDir, c.file)),
    runs,
  };
}

function markdownTableToHtml(table: string): string {
  const rows = table.split('\n').filter((_, i) => i !== 1);
  const cells = (line: string) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((c) => escapeHtml(c));
  const [head, ...body] = rows;
  return `<table><thead><tr>${cells(head ?? '')
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}
