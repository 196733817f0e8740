export { CHART_DATA, type ChartRun, chartSpec } from './chartSpec.ts';
export { LiveCharts } from './LiveCharts.ts';
export { CHART_IDS, type ChartId, type ChartRow, rowsOf, SERIES } from './rowsOf.ts';
