export { writeFileAtomic } from './atomicWrite.js';
export {
  type Checkpoint,
  CheckpointFormatError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpoint,
  type StoredTensor,
  writeCheckpoint,
} from './checkpoint.js';
export {
  type DatasetConfig,
  type DiagnosticsConfig,
  type ExperimentConfig,
  loadConfig,
  type ModelConfig,
  type OptimizerConfig,
  type ResolvedConfig,
  type ResolvedDiagnostics,
  resolveConfig,
} from './config.js';
export { type ExperimentData, loadExperimentData } from './data.js';
export { OutputWriteError } from './errors.js';
export { buildModel } from './model.js';
export {
  type ChartPoint,
  type LineChartOptions,
  lineChartSvg,
  type ReportFiles,
  type ReportOptions,
  type RunSummary,
  runsTable,
  summarizeRun,
  writeReport,
} from './report.js';
export {
  isRunComplete,
  type ProgressEvent,
  type RunOptions,
  type RunResult,
  run,
} from './run.js';
export {
  type DiagnosticsLogRecord,
  type EndRecord,
  type EpochRecord,
  type RunRecord,
  readRunLog,
  type StartRecord,
  type StepRecord,
} from './runLog.js';
