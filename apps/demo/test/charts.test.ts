import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { CHART_DATA, CHART_IDS, chartSpec, rowsOf, SERIES } from '../src/charts/index.ts';
import type { RunRecord } from '../src/training/index.ts';

const runs = [
  { label: '#1 mlp early 0.1 → 0 @10', colour: '#1f77b4', steps: 20 },
  { label: '#2 mlp late 0.1 @10', colour: '#e4572e', steps: 30 },
];

function recordsOf(rateAt: (step: number) => number): RunRecord[] {
  const out: RunRecord[] = [];
  for (let step = 0; step < 20; step++) {
    out.push({
      type: 'step',
      step,
      loss: 2 - step / 20,
      accuracy: step / 20,
      rate: rateAt(step),
      gradNorm: 1 + step,
      ms: 3,
    });
    if (step % 10 === 0) {
      out.push({
        type: 'eval',
        step,
        trainLoss: 1.5,
        trainAccuracy: 0.5,
        testLoss: 1.6,
        testAccuracy: 0.4,
        trainExamples: 1000,
        testExamples: 1000,
      });
      out.push({
        type: 'diagnostics',
        step,
        gdv: 0.5,
        gde: 0.3,
        k: 4,
        examples: 512,
        rate: rateAt(step),
        ms: 9,
      });
    }
  }
  return out;
}

/** A vega-lite logger that keeps what it is told. */
function collectingLogger() {
  const messages: string[] = [];
  const keep =
    (kind: string) =>
    (...args: unknown[]) => {
      messages.push(`${kind} ${args.join(' ')}`);
      return logger;
    };
  const logger = {
    level: () => 2,
    error: keep('error'),
    warn: keep('warn'),
    info: () => logger,
    debug: () => logger,
  };
  return { logger, messages };
}

describe('rowsOf', () => {
  it('puts each record where it belongs, at the step it was measured', () => {
    const [step, evaluation, diagnostics] = recordsOf(() => 0.1) as [
      RunRecord,
      RunRecord,
      RunRecord,
    ];
    expect(rowsOf('a', step)).toEqual({
      'chart-loss': [{ run: 'a', step: 0, value: 2, series: SERIES.miniBatch }],
      'chart-accuracy': [{ run: 'a', step: 0, value: 0, series: SERIES.miniBatch }],
      'chart-rate': [{ run: 'a', step: 0, value: 0.1, series: SERIES.rate }],
      'chart-grad-norm': [{ run: 'a', step: 0, value: 1, series: SERIES.gradNorm }],
    });
    expect(Object.keys(rowsOf('a', evaluation))).toEqual(['chart-loss', 'chart-accuracy']);
    expect(rowsOf('a', evaluation)['chart-loss']?.map((r) => [r.series, r.value])).toEqual([
      [SERIES.train, 1.5],
      [SERIES.test, 1.6],
    ]);
    expect(rowsOf('a', diagnostics)['chart-gdv-gde']?.map((r) => r.series)).toEqual([
      SERIES.gdv,
      SERIES.gde,
    ]);
  });
});

describe('chartSpec', () => {
  it.each(CHART_IDS)('%s compiles without a warning and draws every run', async (id) => {
    const { logger, messages } = collectingLogger();
    const spec = compile(chartSpec(id, runs), { logger }).spec;
    expect(messages).toEqual([]);
    // Node has no container to fit: a fixed width stands in for the page's.
    const view = new View(parse({ ...spec, width: 400, autosize: 'pad' }), { renderer: 'none' });
    const rows = [
      ...recordsOf((s) => (s < 10 ? 0.1 : 0)).flatMap((r) => rowsOf(runs[0]!.label, r)[id] ?? []),
      ...recordsOf((s) => (s < 10 ? 0 : 0.1)).flatMap((r) => rowsOf(runs[1]!.label, r)[id] ?? []),
    ];
    view.data(CHART_DATA, rows);
    await view.runAsync();
    expect(view.data(CHART_DATA).length).toBe(rows.length);
    const svg = await view.toSVG();
    view.finalize();
    // Both runs in the legend, in their colours, and axis titles.
    for (const run of runs) {
      expect(svg).toContain(run.label);
      expect(svg).toContain(run.colour);
    }
    expect(svg).toContain('optimizer step');
  });
});
