export {
  type BatchSource,
  batchSizeOf,
  type ReplayableData,
} from './batchSource.js';
export {
  type CondensationClusters,
  type CondensationHeatmap,
  type CondensationHeatmapOptions,
  type CondensationOptions,
  type CondensationReport,
  type CosineMatrix,
  condensation,
  condensationClusters,
  condensationHeatmap,
  type DenseLayerLike,
  type DenseWeights,
  neuronCosineSimilarity,
} from './condensation.js';
export {
  createRecorder,
  DiagnosticsRecorder,
  type FitCallbackHooks,
  type RecorderOptions,
} from './createRecorder.js';
export { crossEntropyFromLogits, crossEntropyFromProbabilities } from './crossEntropy.js';
export {
  distanceFromInit,
  ParameterSnapshot,
  snapshotParameters,
} from './distanceFromInit.js';
export {
  type GradientDirectionOptions,
  type GradientDirectionReport,
  gradientDirectionStats,
} from './gradientDirectionStats.js';
export {
  type GradientNoiseOptions,
  type GradientNoiseReport,
  gradientNoiseStats,
} from './gradientNoiseStats.js';
export { type GradientNormOptions, gradientNorm, type NormReport } from './gradientNorm.js';
export { type HeatmapSvgOptions, heatmapSvg } from './heatmapSvg.js';
export {
  type CurvatureEstimate,
  hessianTopEigenvalue,
  type IterativeCurvatureOptions,
} from './hessianTopEigenvalue.js';
export { hessianTrace, type TraceEstimate } from './hessianTrace.js';
export type {
  CurvatureOptions,
  HessianCheck,
  HessianMethod,
  UsedHessianMethod,
} from './hessianVectorProduct.js';
export {
  type Batch,
  type DiagnosticsTarget,
  type LayerLike,
  type LayersModelLike,
  type LayerVariableLike,
  type LossFunction,
  type Objective,
  type ObjectiveFromModelOptions,
  objectiveFromModel,
  toObjective,
} from './objective.js';
export {
  condensationProbe,
  distanceFromInitProbe,
  gradientDirectionProbe,
  gradientNoiseProbe,
  gradientNormProbe,
  hessianTopEigenvalueProbe,
  hessianTraceProbe,
  type Probe,
  type ProbeSchedule,
  sharpnessProbe,
} from './probes.js';
export {
  type DiagnosticsRecord,
  type MeasurementCost,
  parseJsonl,
  type Series,
  seriesOf,
} from './records.js';
export { type SharpnessOptions, type SharpnessReport, sharpness } from './sharpness.js';
