export { buildDemoModel } from './buildDemoModel.ts';
export {
  createTrainingSession,
  DEFAULT_SESSION_OPTIONS,
  type SessionOptions,
  type TrainingSession,
} from './createTrainingSession.ts';
export type { DiagnosticsRecord, EvalRecord, RunRecord, StepRecord } from './records.ts';
export {
  checkRunConfig,
  DATASET_NAMES,
  type DatasetName,
  DEFAULT_RUN_CONFIG,
  DEMO_BACKENDS,
  type DemoBackend,
  describeRunConfig,
  IMAGE_MODELS,
  MAX_STEPS,
  MODEL_NAMES,
  type ModelName,
  type RunConfig,
  type RunConfigCheck,
  SCHEDULE_NAMES,
  type ScheduleName,
  scheduleOf,
  validateRunConfig,
} from './runConfig.ts';
export { toJsonl } from './toJsonl.ts';
