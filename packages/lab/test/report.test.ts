import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lineChartSvg, type ReportFiles, run, writeReport } from '../src/index.js';
import { tempDir, tinyConfig } from './helpers.js';

describe('writeReport', () => {
  let report: ReportFiles;
  let root: string;
  beforeAll(async () => {
    root = tempDir();
    const diagnostics = {
      every: 4,
      gradientDirection: { k: 2, fullSubsetSize: 32 },
      condensation: true,
    };
    await run(tinyConfig({ schedule: {}, diagnostics }), { outDir: join(root, 'no-dropout') });
    await run(tinyConfig({ schedule: { dropout: 'late:0.2:cutoff=1ep' }, diagnostics }), {
      outDir: join(root, 'late'),
    });
    report = await writeReport(
      [join(root, 'no-dropout'), join(root, 'late')],
      join(root, 'report'),
      {
        title: 'two runs',
      },
    );
  }, 120_000);

  it('writes a markdown table with one row per run', () => {
    const md = readFileSync(report.markdown, 'utf8');
    expect(md.startsWith('# two runs\n')).toBe(true);
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| run') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /^\| no-dropout \| none \| [\d.]+ \| [\d.]+ \| [\d.]+% \| [\d.]+% \| [\d.]+ \| [\d.]+ \| - \| \d+ \/ 16 \|$/,
    );
    expect(rows[1]).toMatch(/^\| late \| dropout late 0\.2, cutoff 1ep \| /);
  });

  it('renders SVG charts that contain each run as a series', () => {
    const names = report.charts.map((c) => c.split('/').pop());
    expect(names).toEqual([
      'loss.svg',
      'accuracy.svg',
      'batch-loss.svg',
      'rates.svg',
      'gradient-norm.svg',
      'distance.svg',
      'gdv-gde.svg',
      'condensation-no-dropout-init.svg',
      'condensation-no-dropout-final.svg',
      'condensation-late-init.svg',
      'condensation-late-final.svg',
    ]);
    const loss = readFileSync(join(root, 'report', 'loss.svg'), 'utf8');
    expect(loss.startsWith('<svg')).toBe(true);
    // The legend names both runs and both series; the lines are paths.
    for (const label of ['no-dropout', 'late', 'train', 'test'])
      expect(loss).toContain(`>${label}<`);
    expect(loss.match(/<path /g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    // Only the late run has a dropout schedule, so only it appears in the rates chart.
    const rates = readFileSync(join(root, 'report', 'rates.svg'), 'utf8');
    expect(rates).toContain('>late<');
    expect(rates).not.toContain('>no-dropout<');
    const heat = readFileSync(join(root, 'report', 'condensation-late-final.svg'), 'utf8');
    expect(heat.match(/<rect /g)?.length).toBeGreaterThanOrEqual(16 * 16);
  });

  it('writes an HTML page that links every chart and the table', () => {
    const html = readFileSync(report.html, 'utf8');
    for (const chart of report.charts) {
      const file = chart.split('/').pop() as string;
      expect(html).toContain(`<img src="${file}"`);
    }
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toContain('<td>late</td>');
  });

  it('refuses an empty list of runs and a directory without a log', async () => {
    await expect(writeReport([], join(root, 'x'))).rejects.toThrow(/Invalid runDirs/);
    await expect(writeReport([join(root, 'nope')], join(root, 'x'))).rejects.toThrow(/run log/);
  });

  it('lineChartSvg draws one line per run and series', async () => {
    const points = [0, 1, 2].flatMap((x) => [
      { x, y: x, run: 'alpha', series: 'train' },
      { x, y: 2 * x, run: 'beta', series: 'train' },
    ]);
    const svg = await lineChartSvg(points, { title: 'T', xTitle: 'X', yTitle: 'Y' });
    expect(svg).toContain('>alpha<');
    expect(svg).toContain('>beta<');
    expect(svg).toContain('>T<');
  });
});
