import { assertOneOf } from '@dropkit/core';
import {
  spatialDropout1d as spatialDropout1dOp,
  spatialDropout2d as spatialDropout2dOp,
  spatialDropout3d as spatialDropout3dOp,
} from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { registered } from './registerLayers.js';

/** Arguments of the spatial dropout layers. */
export interface SpatialDropoutArgs extends DropoutLayerArgs {
  /** Where the channels are: `channelsLast` (default, as Keras) or `channelsFirst`. */
  dataFormat?: 'channelsLast' | 'channelsFirst';
}

type SpatialOp = typeof spatialDropout2dOp;

/** The shared body of the three spatial dropout layers: one op, one input rank. */
abstract class SpatialDropoutBase extends DropoutLayer {
  readonly dropoutSite = 'dropout' as const;
  /** Where the channels are. */
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  readonly #op: SpatialOp;

  constructor(args: SpatialDropoutArgs, rank: number, op: SpatialOp) {
    super(registered(args));
    this.dataFormat = assertOneOf('dataFormat', args.dataFormat ?? 'channelsLast', [
      'channelsLast',
      'channelsFirst',
    ]);
    this.#op = op;
    this.inputSpec = [{ ndim: rank }];
  }

  protected override applyNoise(x: Tensor): Tensor {
    return this.#op(x, { rate: this.rate, dataFormat: this.dataFormat, ...this.seedOption() });
  }

  override getConfig(): serialization.ConfigDict {
    return { dataFormat: this.dataFormat, ...super.getConfig() };
  }
}

/**
 * Spatial dropout over sequences (Keras SpatialDropout1D): drops whole channels of a
 * [batch, steps, channels] input (mask [N, 1, C]; [N, C, 1] channels-first) in training, with a
 * mutable rate.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SpatialDropout1D } from '@dropkit/layers';
 * const y = new SpatialDropout1D({ rate: 0.5, seed: 2 }).apply(tf.ones([1, 6, 8]), { training: true }) as tf.Tensor;
 * const channels = (tf.transpose(y, [0, 2, 1]).arraySync() as number[][][])[0] ?? [];
 * console.log(channels.every((c) => c.every((v) => v === c[0]))); // true
 * ```
 */
export class SpatialDropout1D extends SpatialDropoutBase {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitSpatialDropout1D';

  /**
   * @param args - {@link SpatialDropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or data format.
   */
  constructor(args: SpatialDropoutArgs) {
    super(args, 3, spatialDropout1dOp);
  }
}

/**
 * Spatial dropout over images (Keras SpatialDropout2D): drops whole feature maps of a 4-D input
 * (mask [N, 1, 1, C] channels-last, [N, C, 1, 1] channels-first) in training, with a mutable
 * rate.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SpatialDropout2D } from '@dropkit/layers';
 * const y = new SpatialDropout2D({ rate: 0.5, seed: 2 }).apply(tf.ones([2, 3, 3, 4]), { training: true }) as tf.Tensor;
 * console.log(y.shape); // [ 2, 3, 3, 4 ]
 * ```
 */
export class SpatialDropout2D extends SpatialDropoutBase {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitSpatialDropout2D';

  /**
   * @param args - {@link SpatialDropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or data format.
   */
  constructor(args: SpatialDropoutArgs) {
    super(args, 4, spatialDropout2dOp);
  }
}

/**
 * Spatial dropout over volumes (Keras SpatialDropout3D): drops whole feature volumes of a 5-D
 * input (mask [N, 1, 1, 1, C] channels-last, [N, C, 1, 1, 1] channels-first) in training, with
 * a mutable rate.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { SpatialDropout3D } from '@dropkit/layers';
 * const y = new SpatialDropout3D({ rate: 0.5 }).apply(tf.ones([1, 2, 2, 2, 3])) as tf.Tensor;
 * console.log(tf.sum(y).dataSync()[0]); // 24
 * ```
 */
export class SpatialDropout3D extends SpatialDropoutBase {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitSpatialDropout3D';

  /**
   * @param args - {@link SpatialDropoutArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a bad seed or data format.
   */
  constructor(args: SpatialDropoutArgs) {
    super(args, 5, spatialDropout3dOp);
  }
}

/**
 * Makes a {@link SpatialDropout1D} layer.
 *
 * @param args - {@link SpatialDropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { spatialDropout1d } from '@dropkit/layers';
 * console.log(spatialDropout1d({ rate: 0.1 }).getClassName()); // DropkitSpatialDropout1D
 * ```
 */
export function spatialDropout1d(args: SpatialDropoutArgs): SpatialDropout1D {
  return new SpatialDropout1D(args);
}

/**
 * Makes a {@link SpatialDropout2D} layer.
 *
 * @param args - {@link SpatialDropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { spatialDropout2d } from '@dropkit/layers';
 * console.log(spatialDropout2d({ rate: 0.1, dataFormat: 'channelsFirst' }).dataFormat); // channelsFirst
 * ```
 */
export function spatialDropout2d(args: SpatialDropoutArgs): SpatialDropout2D {
  return new SpatialDropout2D(args);
}

/**
 * Makes a {@link SpatialDropout3D} layer.
 *
 * @param args - {@link SpatialDropoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { spatialDropout3d } from '@dropkit/layers';
 * console.log(spatialDropout3d({ rate: 0.1 }).rate); // 0.1
 * ```
 */
export function spatialDropout3d(args: SpatialDropoutArgs): SpatialDropout3D {
  return new SpatialDropout3D(args);
}
