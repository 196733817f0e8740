export type { CommonOptions, OutputActivation } from './arguments.js';
export { type ConvNeXtOptions, convNeXt } from './convNeXt.js';
export { ClassTokenPooling, type ClassTokenPoolingArgs } from './layers/ClassTokenPooling.js';
export { LayerNorm, type LayerNormArgs } from './layers/LayerNorm.js';
export { LayerScale, type LayerScaleArgs } from './layers/LayerScale.js';
export {
  MultiHeadSelfAttention,
  type MultiHeadSelfAttentionArgs,
} from './layers/MultiHeadSelfAttention.js';
export { PositionEmbedding, type PositionEmbeddingArgs } from './layers/PositionEmbedding.js';
export { type MlpActivation, type MlpOptions, mlp } from './mlp.js';
export { type MlpMixerOptions, mlpMixer } from './mlpMixer.js';
export { type ParameterCountOptions, parameterCount } from './parameterCount.js';
export { registerModels } from './registerModels.js';
export { type ResnetOptions, resnet } from './resnet.js';
export { type SmallCnnOptions, smallCnn } from './smallCnn.js';
export { type VitOptions, type VitPooling, vit } from './vit.js';
