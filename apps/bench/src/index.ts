export {
  type BenchBackend,
  benchBackendNames,
  getBenchBackend,
  registerBenchBackend,
} from './benchBackends.js';
export {
  BENCH_MODELS,
  type BenchModel,
  getBenchModel,
  trainableParameters,
} from './benchModels.js';
export { type ReportHeader, reportHeader, writeReport } from './benchReport.js';
export {
  type DiagnosticsOverheadConfig,
  type DiagnosticsOverheadMeasurement,
  type ProbeCost,
  RECORDED_PROBES,
  type RecordedProbe,
  runDiagnosticsOverheadBench,
  type TrainingRun,
} from './diagnosticsOverheadBench.js';
export {
  DIAGNOSTICS_OVERHEAD_DEFAULTS,
  type DiagnosticsOverheadArgs,
  type DiagnosticsOverheadCommandResult,
  type DiagnosticsOverheadOptions,
  type DiagnosticsOverheadReport,
  parseDiagnosticsOverheadOptions,
  runDiagnosticsOverheadCommand,
} from './diagnosticsOverheadCommand.js';
export {
  diagnosticsOverheadMarkdown,
  evaluateDiagnosticsOverheadTargets,
  TARGET_RECORDING_RATIO,
} from './diagnosticsOverheadReport.js';
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
export { assertNoPositionals, integerOption } from './trainingOptions.js';
export { createTrainingStep, type TrainingBatch, type TrainingStep } from './trainingStep.js';
export {
  type AppliedScheduleRates,
  applyScheduledRates,
  assertGradientsRegistered,
  layersToFreeze,
  loadScaledMnist,
  MNIST_TRAIN_SIZE,
  type ReadTiming,
  runTrainStepBench,
  SCHEDULE,
  SCHEDULE_STEP,
  type TimedSamples,
  TRAIN_STEP_VARIANTS,
  TrainingLeakError,
  type TrainStepConfig,
  type TrainStepMeasurement,
  type TrainStepTiming,
  type TrainStepVariant,
} from './trainStepBench.js';
export {
  parseTrainStepOptions,
  runTrainStepCommand,
  TRAIN_STEP_DEFAULTS,
  type TrainStepArgs,
  type TrainStepCommandResult,
  type TrainStepOptions,
  type TrainStepReport,
} from './trainStepCommand.js';
export {
  DROPOUT_TARGET_BACKENDS,
  evaluateTrainStepTargets,
  TARGET_DROPOUT_STEP_RATIO,
  TARGET_READ_OVER_TRAIN,
  type TrainingTarget,
  type TrainStepReportContext,
  targetLine,
  trainStepMarkdown,
  verdict,
} from './trainStepReport.js';
