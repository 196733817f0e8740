import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import {
  type DropBlockOptions,
  dropBlock2d as dropBlock2dOp,
  probDropBlock2d as probDropBlock2dOp,
} from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link DropBlock2D} and {@link ProbDropBlock2D}. */
export interface DropBlockArgs extends DropoutLayerArgs {
  /** The side of a dropped square, an integer in [1, min(H, W)]. Default 7 (timm's). */
  blockSize?: number;
  /**
   * `channelsLast` (default; alias `NHWC`) or `channelsFirst` (alias `NCHW`); the config keeps
   * the tfjs-layers spelling.
   */
  dataFormat?: 'channelsLast' | 'channelsFirst' | 'NHWC' | 'NCHW';
  /** One mask per channel (default, as torchvision and keras-cv) or one per sample, shared. */
  perChannel?: boolean;
}

function normalizeDataFormat(value: unknown): 'channelsLast' | 'channelsFirst' {
  if (value === undefined || value === 'channelsLast' || value === 'NHWC') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'NCHW') return 'channelsFirst';
  throw new InvalidArgumentError(
    'dataFormat',
    value,
    'one of "channelsLast", "channelsFirst", "NHWC", "NCHW"',
  );
}

/**
 * DropBlock (Ghiasi et al. 2018) as a layer with a mutable rate: in training drops contiguous
 * blockSize x blockSize squares of a 4-D feature map so that about `rate` of it is dropped, and
 * rescales by numel / kept (`dropBlock2d` from `@dropkit/ops`: timm's gamma, torchvision's
 * masks, odd and even blocks, non-square maps). Identity in inference. It is a `dropout` site,
 * so `applyRates` sets it with the dropout rate; DropBlock is usually trained with a ramp
 * (`rampSchedule` in `@dropkit/schedules`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DropBlock2D } from '@dropkit/layers';
 * const layer = new DropBlock2D({ rate: 0.2, blockSize: 3, seed: 1 });
 * const y = layer.apply(tf.ones([2, 12, 12, 4]), { training: true }) as tf.Tensor;
 * console.log(y.shape, layer.getConfig().blockSize); // [ 2, 12, 12, 4 ] 3
 * ```
 */
export class DropBlock2D extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitDropBlock2D';
  readonly dropoutSite = 'dropout' as const;
  /** The side of a dropped square. */
  readonly blockSize: number;
  /** Where the channels are. */
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  /** One mask per channel, or one per sample. */
  readonly perChannel: boolean;

  /**
   * @param args - {@link DropBlockArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1), a block size below 1, an unknown
   *   data format, a non-boolean `perChannel` or a bad seed; a block larger than the map is
   *   reported when the layer is called.
   */
  constructor(args: DropBlockArgs) {
    super(registered(args));
    this.blockSize = assertInteger('blockSize', args.blockSize ?? 7, { min: 1 });
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    const perChannel = args.perChannel ?? true;
    if (typeof perChannel !== 'boolean') {
      throw new InvalidArgumentError('perChannel', perChannel, 'true or false');
    }
    this.perChannel = perChannel;
    this.inputSpec = [{ ndim: 4 }];
  }

  /** The options of the dropBlock ops for the current rate. */
  protected opOptions(): DropBlockOptions {
    return {
      rate: this.rate,
      blockSize: this.blockSize,
      dataFormat: this.dataFormat === 'channelsLast' ? ('NHWC' as const) : ('NCHW' as const),
      perChannel: this.perChannel,
      ...this.seedOption(),
    };
  }

  protected override applyNoise(x: Tensor): Tensor {
    return dropBlock2dOp(x, this.opOptions());
  }

  override getConfig(): serialization.ConfigDict {
    return {
      blockSize: this.blockSize,
      dataFormat: this.dataFormat,
      perChannel: this.perChannel,
      ...super.getConfig(),
    };
  }
}

/**
 * ProbDropBlock (Zhao et al. 2023) as a layer with a mutable rate: DropBlock whose block seeds
 * fall where the features are salient (`probDropBlock2d` from `@dropkit/ops`), trained with a
 * linear ramp of the rate in the paper. Identity in inference.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { ProbDropBlock2D } from '@dropkit/layers';
 * const layer = new ProbDropBlock2D({ rate: 0.2, blockSize: 3 });
 * const y = layer.apply(tf.ones([1, 8, 8, 2])) as tf.Tensor; // inference: the identity
 * console.log(tf.sum(y).dataSync()[0]); // 128
 * ```
 */
export class ProbDropBlock2D extends DropBlock2D {
  /** The name this class is registered under for serialization. */
  static override className = 'DropkitProbDropBlock2D';

  protected override applyNoise(x: Tensor): Tensor {
    return probDropBlock2dOp(x, this.opOptions());
  }
}

/**
 * Makes a {@link DropBlock2D} layer.
 *
 * @param args - {@link DropBlockArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { dropBlock2d } from '@dropkit/layers';
 * console.log(dropBlock2d({ rate: 0.1, blockSize: 5, dataFormat: 'NCHW' }).dataFormat); // channelsFirst
 * ```
 */
export function dropBlock2d(args: DropBlockArgs): DropBlock2D {
  return new DropBlock2D(args);
}

/**
 * Makes a {@link ProbDropBlock2D} layer.
 *
 * @param args - {@link DropBlockArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { probDropBlock2d } from '@dropkit/layers';
 * console.log(probDropBlock2d({ rate: 0.1, blockSize: 3 }).getClassName()); // DropkitProbDropBlock2D
 * ```
 */
export function probDropBlock2d(args: DropBlockArgs): ProbDropBlock2D {
  return new ProbDropBlock2D(args);
}
