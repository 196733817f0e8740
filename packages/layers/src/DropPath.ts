import { dropPath as dropPathOp } from '@dropkit/ops';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DropoutLayer, type DropoutLayerArgs } from './DropoutLayer.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link DropPath}: a rate in [0, 1] and a seed. */
export type DropPathArgs = DropoutLayerArgs;

/**
 * Drop path (stochastic depth per sample, timm's `DropPath`) with a mutable rate: in training it
 * zeroes a residual branch's output for each sample with probability `rate` and divides the
 * kept ones by 1 - rate; identity in inference. Put it at the end of the branch and add the
 * shortcut yourself with `tf.layers.add`. It is a `dropPath` site: `applyRates` gives the
 * drop-path sites of a model the rates linspace(0, rate, depth) in layer order.
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { DropPath } from '@dropkit/layers';
 * const input = tfl.input({ shape: [8] });
 * const branch = tfl.layers.dense({ units: 8, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
 * const dropped = new DropPath({ rate: 0.1 }).apply(branch) as tfl.SymbolicTensor;
 * const output = tfl.layers.add().apply([input, dropped]) as tfl.SymbolicTensor;
 * console.log(tfl.model({ inputs: input, outputs: output }).outputs[0]?.shape); // [ null, 8 ]
 * ```
 */
export class DropPath extends DropoutLayer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitDropPath';
  readonly dropoutSite = 'dropPath' as const;

  /**
   * @param args - {@link DropPathArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1] or a bad seed.
   */
  constructor(args: DropPathArgs) {
    super(registered(args), { allowRateOne: true });
  }

  protected override applyNoise(x: Tensor): Tensor {
    return dropPathOp(x, { rate: this.rate, ...this.seedOption() });
  }
}

/**
 * Makes a {@link DropPath} layer.
 *
 * @param args - {@link DropPathArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { dropPath } from '@dropkit/layers';
 * console.log(dropPath({ rate: 0.1 }).dropoutSite); // dropPath
 * ```
 */
export function dropPath(args: DropPathArgs): DropPath {
  return new DropPath(args);
}
