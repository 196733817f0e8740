export { AlphaDropout, type AlphaDropoutArgs, alphaDropout } from './AlphaDropout.js';
export {
  type AppliedRates,
  type ApplyRatesOptions,
  applyRates,
  findDropoutSites,
  type LayerTree,
} from './applyRates.js';
export {
  DropBlock2D,
  type DropBlockArgs,
  dropBlock2d,
  ProbDropBlock2D,
  probDropBlock2d,
} from './DropBlock2D.js';
export {
  type DenseLayer,
  type DenseLayerArgs,
  DropConnectDense,
  type DropConnectDenseArgs,
  dropConnectDense,
} from './DropConnectDense.js';
export { Dropout, type DropoutArgs, dropout } from './Dropout.js';
export {
  DropoutLayer,
  type DropoutLayerArgs,
  type DropoutLayerBehaviour,
} from './DropoutLayer.js';
export {
  DropoutScheduler,
  type DropoutSchedulerOptions,
  RATE_LOG_KEYS,
  type ScheduledRates,
} from './DropoutScheduler.js';
export { DropPath, type DropPathArgs, dropPath } from './DropPath.js';
export {
  type DropoutSite,
  type DropoutSiteContainer,
  type DropoutSiteKind,
  isDropoutSite,
  isDropoutSiteContainer,
} from './dropoutSite.js';
export { GaussianDropout, type GaussianDropoutArgs, gaussianDropout } from './GaussianDropout.js';
export type { Kwargs, LayerArgs, LayerInputs } from './layerUtils.js';
export { MCDropout, mcDropout } from './MCDropout.js';
export { registerLayers } from './registerLayers.js';
export {
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  type SpatialDropoutArgs,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
} from './SpatialDropout.js';
export { Standout, type StandoutArgs, standout } from './Standout.js';
export { StochasticDepth, type StochasticDepthArgs, stochasticDepth } from './StochasticDepth.js';
