import { assertOneOf } from '@dropkit/core';
import { stochasticDepth as stochasticDepthOp } from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link StochasticDepth}. */
export interface StochasticDepthArgs extends DropoutLayerArgs {
  /** `row`: one draw per sample (default, as drop path); `batch`: one draw for the whole batch. */
  mode?: 'row' | 'batch';
}

/**
 * Stochastic depth as torchvision's `StochasticDepth`, with a mutable rate: in training mode
 * `row` drops a residual branch per sample, mode `batch` for the whole batch at once, survivors
 * divided by 1 - rate; identity in inference. A `dropPath` site, like {@link DropPath}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { StochasticDepth } from '@dropkit/layers';
 * const y = new StochasticDepth({ rate: 0.5, mode: 'batch', seed: 4 }).apply(tf.ones([3, 2]), { training: true }) as tf.Tensor;
 * const v = y.dataSync();
 * console.log(v.every((e) => e === v[0])); // true
 * ```
 */
export class StochasticDepth extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitStochasticDepth';
  readonly dropoutSite = 'dropPath' as const;
  /** One draw per sample (`row`) or per batch (`batch`). */
  readonly mode: 'row' | 'batch';

  /**
   * @param args - {@link StochasticDepthArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1], an unknown mode or a bad seed.
   */
  constructor(args: StochasticDepthArgs) {
    super(registered(args), { allowRateOne: true });
    this.mode = assertOneOf('mode', args.mode ?? 'row', ['row', 'batch']);
  }

  protected override applyNoise(x: Tensor): Tensor {
    return stochasticDepthOp(x, { rate: this.rate, mode: this.mode, ...this.seedOption() });
  }

  override getConfig(): serialization.ConfigDict {
    return { mode: this.mode, ...super.getConfig() };
  }
}

/**
 * Makes a {@link StochasticDepth} layer.
 *
 * @param args - {@link StochasticDepthArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { stochasticDepth } from '@dropkit/layers';
 * console.log(stochasticDepth({ rate: 0.2, mode: 'batch' }).mode); // batch
 * ```
 */
export function stochasticDepth(args: StochasticDepthArgs): StochasticDepth {
  return new StochasticDepth(args);
}
