import type { RunRecord } from '../training/records.ts';

/** The charts of the page, by the id of their container. */
export const CHART_IDS = [
  'chart-loss',
  'chart-accuracy',
  'chart-rate',
  'chart-grad-norm',
  'chart-gdv-gde',
] as const;
/** A chart of the page. */
export type ChartId = (typeof CHART_IDS)[number];

/** One data point of a chart: a run's value of one series at one step. */
export interface ChartRow {
  /** The run's label (legend entry, colour). */
  readonly run: string;
  readonly step: number;
  readonly value: number;
  /** Which line of the run, where a chart has several (loss: mini-batch, train, test). */
  readonly series: string;
}

/** The series names, shared by the specs and the rows. */
export const SERIES = {
  miniBatch: 'mini-batch (dropout on)',
  train: 'train (dropout off)',
  test: 'test',
  rate: 'scheduled rate',
  gradNorm: 'mini-batch gradient',
  gdv: 'GDV',
  gde: 'GDE',
} as const;

/**
 * The chart rows one record of a run adds: a step record feeds the loss, accuracy, rate and
 * gradient-norm charts; an evaluation the loss and accuracy charts; diagnostics the GDV / GDE chart.
 *
 * @param run - the run's label.
 * @param record - a step, evaluation or diagnostics record.
 * @returns the rows to add, by chart.
 * @example
 * ```ts
 * import { rowsOf } from '@dropkit/demo/charts';
 * const rows = rowsOf('#1', { type: 'diagnostics', step: 50, gdv: 0.4, gde: 0.2, k: 4, examples: 512, rate: 0.1, ms: 9 });
 * console.log(rows['chart-gdv-gde']?.map((r) => `${r.series}=${r.value}`)); // [ 'GDV=0.4', 'GDE=0.2' ]
 * ```
 */
export function rowsOf(run: string, record: RunRecord): Partial<Record<ChartId, ChartRow[]>> {
  const row = (step: number, value: number, series: string): ChartRow => ({
    run,
    step,
    value,
    series,
  });
  switch (record.type) {
    case 'step': {
      // Step k's loss and gradient are taken at the weights after k updates, where an
      // evaluation with step = k is taken too: one x axis for both.
      const x = record.step;
      return {
        'chart-loss': [row(x, record.loss, SERIES.miniBatch)],
        'chart-accuracy': [row(x, record.accuracy, SERIES.miniBatch)],
        'chart-rate': [row(x, record.rate, SERIES.rate)],
        'chart-grad-norm': [row(x, record.gradNorm, SERIES.gradNorm)],
      };
    }
    case 'eval':
      return {
        'chart-loss': [
          row(record.step, record.trainLoss, SERIES.train),
          row(record.step, record.testLoss, SERIES.test),
        ],
        'chart-accuracy': [
          row(record.step, record.trainAccuracy, SERIES.train),
          row(record.step, record.testAccuracy, SERIES.test),
        ],
      };
    case 'diagnostics':
      return {
        'chart-gdv-gde': [
          row(record.step, record.gdv, SERIES.gdv),
          row(record.step, record.gde, SERIES.gde),
        ],
      };
  }
}
