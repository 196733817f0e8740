export { hasFusedKernel, setComposedOnly } from './dispatch.js';
export { GRAD_CONFIGS } from './gradients/index.js';
export * from './kernel_names.js';
export { alphaDropoutImpl } from './kernels/cpu/DropkitAlphaDropout.js';
export {
  type DropBlockGeometry,
  dropBlockGeometry,
  dropBlockImpl,
  dropBlockMultipliers,
  probDropBlockImpl,
  salienceFactors,
} from './kernels/cpu/DropkitDropBlock.js';
export { dropoutImpl } from './kernels/cpu/DropkitDropout.js';
export {
  gaussianDropoutImpl,
  gaussianMultipliers,
} from './kernels/cpu/DropkitGaussianDropout.js';
export {
  standoutImpl,
  standoutKeepMask,
  standoutKeepProbability,
} from './kernels/cpu/DropkitStandout.js';
export { CPU_KERNEL_CONFIGS } from './kernels/cpu/index.js';
export { unaryCpuKernel } from './kernels/cpu/io.js';
export {
  type AlphaDropoutOptions,
  alphaDropout,
  alphaDropoutCoefficients,
  SELU_ALPHA,
  SELU_SCALE,
} from './ops/alphaDropout.js';
export { type DropBlockOptions, dropBlock2d, probDropBlock2d } from './ops/dropBlock2d.js';
export {
  type DropConnectOptions,
  denseDropConnect,
  dropConnect,
} from './ops/dropConnect.js';
export { type DropoutOptions, dropout, dropoutMultipliers } from './ops/dropout.js';
export {
  type DropPathOptions,
  dropPath,
  type StochasticDepthOptions,
  stochasticDepth,
} from './ops/dropPath.js';
export { type GaussianDropoutOptions, gaussianDropout } from './ops/gaussianDropout.js';
export {
  type McDropoutOptions,
  type McDropoutResult,
  mcDropoutPredict,
} from './ops/mcDropoutPredict.js';
export {
  type MultiSampleDropoutLossOptions,
  type MultiSampleDropoutOptions,
  multiSampleDropout,
} from './ops/multiSampleDropout.js';
export {
  type SpatialDropoutOptions,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
} from './ops/spatialDropout.js';
export { type StandoutOptions, standout } from './ops/standout.js';
export {
  assertSeed,
  createGenerator,
  Generator,
  type GeneratorState,
  getDefaultGenerator,
  resolveSeed,
  resolveSeeds,
  type SeedLike,
  setSeed,
} from './rng/generator.js';
export { boxMuller, normalNoise, rateThreshold, uniform24 } from './rng/noise.js';
export { threefry4x32 } from './rng/threefry.js';
export { ensureSetup, registerCpuKernels, registerKernels } from './setup.js';
