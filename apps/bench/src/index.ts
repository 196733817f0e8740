export {
  type BenchBackend,
  benchBackendNames,
  getBenchBackend,
  registerBenchBackend,
} from './benchBackends.js';
export { DEFAULTS, type Io, main } from './main.js';
export {
  type BackwardBytes,
  backwardBytes,
  type KernelTimes,
  type OpsBenchConfig,
  type OpsBenchRow,
  runOpsBench,
  TensorLeakError,
  VARIANTS,
  type Variant,
} from './opsBench.js';
export {
  MIN_RUNS,
  OPS_DEFAULTS,
  type OpsArgs,
  type OpsBenchReport,
  type OpsCommandResult,
  type OpsOptions,
  parseOpsOptions,
  runOpsCommand,
} from './opsCommand.js';
export {
  evaluateTargets,
  type HostInfo,
  hostInfo,
  opsMarkdown,
  type TargetResult,
} from './opsReport.js';
export { batchedShape, OPS_TABLE, type OpEntry } from './opsTable.js';
export { markdownTable, schedulePlot, scheduleTable, type TableLength } from './scheduleTable.js';
export { formatSize, parseSizes } from './sizes.js';
export { kernelTimeOnce, median, timeOnce } from './timing.js';
