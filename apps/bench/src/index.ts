export { DEFAULTS, type Io, main } from './main.js';
export { markdownTable, schedulePlot, scheduleTable, type TableLength } from './scheduleTable.js';
