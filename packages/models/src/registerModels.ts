import { registerLayers } from '@dropkit/layers';
import { ClassTokenPooling } from './layers/ClassTokenPooling.js';
import { LayerNorm } from './layers/LayerNorm.js';
import { LayerScale } from './layers/LayerScale.js';
import { MultiHeadSelfAttention } from './layers/MultiHeadSelfAttention.js';
import { PositionEmbedding } from './layers/PositionEmbedding.js';
import { registerOnce } from './registerOnce.js';

/**
 * Registers this package's custom layers, and those of `@dropkit/layers`, with tfjs
 * serialization, so `tf.loadLayersModel` can rebuild a saved model. Every builder and layer
 * constructor calls it; call it yourself before loading a model in a fresh process. Idempotent.
 *
 * @example
 * ```ts
 * import { registerModels } from '@dropkit/models';
 * registerModels();
 * registerModels(); // a second call does nothing
 * ```
 */
export function registerModels(): void {
  registerLayers();
  registerOnce(MultiHeadSelfAttention);
  registerOnce(PositionEmbedding);
  registerOnce(ClassTokenPooling);
  registerOnce(LayerScale);
  registerOnce(LayerNorm);
}
