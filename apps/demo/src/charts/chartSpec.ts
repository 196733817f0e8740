import type { TopLevelSpec } from 'vega-lite';
import { type ChartId, SERIES } from './rowsOf.ts';

/** A run as the charts show it: its legend label, its colour and its length. */
export interface ChartRun {
  readonly label: string;
  readonly colour: string;
  /** The run's optimizer steps: the x axes span the longest run from the start. */
  readonly steps: number;
}

/** The name of every chart's data set, the target of the live changesets. */
export const CHART_DATA = 'points';

const HEIGHT = 210;

function stepAxis(runs: readonly ChartRun[]) {
  const last = Math.max(1, ...runs.map((r) => r.steps));
  return {
    field: 'step',
    type: 'quantitative',
    title: 'optimizer step',
    axis: { tickMinStep: 1 },
    scale: { domain: [0, last], nice: false },
  } as const;
}

function colourOf(runs: readonly ChartRun[]) {
  return {
    field: 'run',
    type: 'nominal',
    title: 'run',
    // The page fixes each run's colour (its slot's), so the scale maps labels to those colours.
    ...(runs.length > 0
      ? {
          scale: { domain: runs.map((r) => r.label), range: runs.map((r) => r.colour) },
          sort: runs.map((r) => r.label),
        }
      : {}),
    legend: { orient: 'bottom', direction: 'vertical', labelLimit: 320 },
  } as const;
}

const tooltip = [
  { field: 'run', type: 'nominal' },
  { field: 'series', type: 'nominal' },
  { field: 'step', type: 'quantitative' },
  { field: 'value', type: 'quantitative', format: '.4~f' },
] as const;

function base(title: string): Partial<TopLevelSpec> & { $schema: string } {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 13 },
    width: 'container',
    height: HEIGHT,
    // resize: axis labels grow with the data, so the layout is redone on every update.
    autosize: { type: 'fit-x', contains: 'padding', resize: true },
    data: { name: CHART_DATA },
    config: {
      font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
      legend: { labelFontSize: 11, titleFontSize: 11 },
      view: { stroke: null },
    },
  };
}

/**
 * A chart with a line per run and series: mini-batch values (faint), train and test evaluations
 * (points on the line, test dashed). The loss and accuracy charts.
 */
function evalChart(title: string, yTitle: string, runs: readonly ChartRun[], unit: boolean) {
  const series = [SERIES.miniBatch, SERIES.train, SERIES.test];
  return {
    ...base(title),
    encoding: {
      x: stepAxis(runs),
      y: {
        field: 'value',
        type: 'quantitative',
        title: yTitle,
        scale: unit ? { domain: [0, 1] } : { zero: false },
      },
      color: colourOf(runs),
    },
    layer: [
      {
        mark: { type: 'line', interpolate: 'linear' },
        encoding: {
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'measured on',
            scale: {
              domain: series,
              range: [
                [1, 0],
                [1, 0],
                [5, 3],
              ],
            },
            legend: { orient: 'bottom', direction: 'vertical' },
          },
          opacity: {
            field: 'series',
            type: 'nominal',
            title: 'measured on',
            sort: series,
            scale: { domain: series, range: [0.35, 1, 1] },
            legend: { orient: 'bottom', direction: 'vertical' },
          },
          strokeWidth: {
            field: 'series',
            type: 'nominal',
            title: 'measured on',
            sort: series,
            scale: { domain: series, range: [1, 2, 2] },
            legend: { orient: 'bottom', direction: 'vertical' },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 28 },
        transform: [{ filter: `datum.series !== '${SERIES.miniBatch}'` }],
        encoding: { tooltip },
      },
    ],
  } as TopLevelSpec;
}

/**
 * The vega-lite spec of one chart of the page, for the given runs (their labels and colours). Data
 * come in later through the `points` data set, as {@link ChartRow}s.
 *
 * @param id - the chart.
 * @param runs - the runs shown, in slot order.
 * @returns a vega-lite spec.
 * @example
 * ```ts
 * import { chartSpec } from '@dropkit/demo/charts';
 * const spec = chartSpec('chart-rate', [{ label: '#1 early 0.1', colour: '#4c78a8', steps: 300 }]);
 * // The x axis spans the longest run from the start.
 * console.log(spec.data, JSON.stringify(spec).includes('"domain":[0,300]')); // { name: 'points' } true
 * ```
 */
export function chartSpec(id: ChartId, runs: readonly ChartRun[]): TopLevelSpec {
  switch (id) {
    case 'chart-loss':
      return evalChart('Loss', 'cross-entropy', runs, false);
    case 'chart-accuracy':
      return evalChart('Accuracy', 'accuracy', runs, true);
    case 'chart-rate':
      return {
        ...base('Scheduled dropout rate'),
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: stepAxis(runs),
          y: { field: 'value', type: 'quantitative', title: 'dropout rate' },
          color: colourOf(runs),
          tooltip,
        },
      } as TopLevelSpec;
    case 'chart-grad-norm':
      return {
        ...base('Gradient norm'),
        mark: { type: 'line', strokeWidth: 1.25 },
        encoding: {
          x: stepAxis(runs),
          y: { field: 'value', type: 'quantitative', title: '‖g‖₂ of the step' },
          color: colourOf(runs),
        },
      } as TopLevelSpec;
    case 'chart-gdv-gde': {
      const domain = [SERIES.gdv, SERIES.gde];
      const measure = { field: 'series', type: 'nominal', title: 'measure', sort: domain } as const;
      const legend = { orient: 'bottom', direction: 'vertical' } as const;
      return {
        ...base('Gradient direction variance and error'),
        encoding: {
          x: stepAxis(runs),
          y: { field: 'value', type: 'quantitative', title: 'mean of 1 − cos' },
          color: colourOf(runs),
        },
        layer: [
          {
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              strokeDash: {
                ...measure,
                scale: {
                  domain,
                  range: [
                    [1, 0],
                    [5, 3],
                  ],
                },
                legend,
              },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 34 },
            encoding: {
              shape: { ...measure, scale: { domain, range: ['circle', 'square'] }, legend },
              tooltip,
            },
          },
        ],
      } as TopLevelSpec;
    }
  }
}
