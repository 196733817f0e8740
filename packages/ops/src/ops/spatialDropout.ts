import { assertOneOf, assertRate } from '@dropkit/core';
import { op, type Tensor, type TensorLike } from '@tensorflow/tfjs-core';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { assertRank, floatTensor } from '../validate.js';
import { applyDropout } from './dropout.js';

/** Options of the spatial dropout ops. */
export interface SpatialDropoutOptions {
  /** The probability of dropping a whole channel, in [0, 1). */
  readonly rate: number;
  /** Where the channels are: `channelsLast` (default, as Keras) or `channelsFirst`. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

function spatial(
  x: Tensor | TensorLike,
  options: SpatialDropoutOptions,
  rank: number,
  what: string,
): Tensor {
  const $x = floatTensor('x', x);
  assertRank('x', $x, [rank], what);
  const rate = assertRate('rate', options?.rate);
  const format = assertOneOf('dataFormat', options.dataFormat ?? 'channelsLast', [
    'channelsLast',
    'channelsFirst',
  ]);
  if (options.training === false || rate === 0) return $x.clone();
  const channelAxis = format === 'channelsLast' ? rank - 1 : 1;
  const noiseShape = $x.shape.map((d, i) => (i === 0 || i === channelAxis ? d : 1));
  return applyDropout($x, rate, 1 / (1 - rate), noiseShape, resolveSeed(options.seed));
}

/**
 * Spatial dropout over a sequence: drops whole channels of a [batch, steps, channels] tensor
 * (Keras SpatialDropout1D: mask shape [N, 1, C]; [N, C, 1] channels-first), scaling the rest by
 * 1 / (1 - rate).
 *
 * @param x - a float32 tensor of rank 3.
 * @param options - {@link SpatialDropoutOptions}.
 * @returns a tensor of x's shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { spatialDropout1d } from '@dropkit/ops';
 * const y = spatialDropout1d(tf.ones([1, 5, 8]), { rate: 0.5, seed: 3 });
 * const cols = tf.transpose(y, [0, 2, 1]).arraySync()[0];
 * console.log(cols.every((c) => c.every((v) => v === c[0]))); // true
 * ```
 */
function spatialDropout1d_(x: Tensor | TensorLike, options: SpatialDropoutOptions): Tensor {
  return spatial(x, options, 3, '[batch, steps, channels]');
}

/**
 * Spatial dropout over images: drops whole feature maps of a 4-D tensor (Keras SpatialDropout2D:
 * mask shape [N, 1, 1, C] channels-last, [N, C, 1, 1] channels-first).
 *
 * @param x - a float32 tensor of rank 4.
 * @param options - {@link SpatialDropoutOptions}.
 * @returns a tensor of x's shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { spatialDropout2d } from '@dropkit/ops';
 * const y = spatialDropout2d(tf.ones([2, 4, 4, 3]), { rate: 0.3, seed: 1 });
 * console.log(y.shape); // [ 2, 4, 4, 3 ]
 * ```
 */
function spatialDropout2d_(x: Tensor | TensorLike, options: SpatialDropoutOptions): Tensor {
  return spatial(
    x,
    options,
    4,
    '[batch, height, width, channels] or [batch, channels, height, width]',
  );
}

/**
 * Spatial dropout over volumes: drops whole feature volumes of a 5-D tensor (Keras
 * SpatialDropout3D: mask shape [N, 1, 1, 1, C] channels-last, [N, C, 1, 1, 1] channels-first).
 *
 * @param x - a float32 tensor of rank 5.
 * @param options - {@link SpatialDropoutOptions}.
 * @returns a tensor of x's shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { spatialDropout3d } from '@dropkit/ops';
 * const y = spatialDropout3d(tf.ones([1, 2, 2, 2, 4]), { rate: 0.5, seed: 9, dataFormat: 'channelsLast' });
 * console.log(y.shape); // [ 1, 2, 2, 2, 4 ]
 * ```
 */
function spatialDropout3d_(x: Tensor | TensorLike, options: SpatialDropoutOptions): Tensor {
  return spatial(x, options, 5, '[batch, depth, height, width, channels] or channels-first');
}

export const spatialDropout1d = op({ spatialDropout1d_ });
export const spatialDropout2d = op({ spatialDropout2d_ });
export const spatialDropout3d = op({ spatialDropout3d_ });
