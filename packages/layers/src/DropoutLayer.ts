import { assertRate } from '@dropkit/core';
import type { Generator } from '@dropkit/ops';
import { type serialization, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { DropoutSite, DropoutSiteKind } from './dropoutSite.js';
import {
  isTraining,
  type Kwargs,
  type LayerArgs,
  type LayerInputs,
  optionalEntry,
  seedGenerator,
  singleInput,
} from './layerUtils.js';

/** The arguments every dropkit dropout layer takes. */
export interface DropoutLayerArgs extends LayerArgs {
  /** The drop rate, in [0, 1) ([0, 1] for drop path and stochastic depth); mutable afterwards. */
  rate: number;
  /**
   * An integer in [0, 2^53): the layer draws its masks from a generator of this seed, a new mask
   * every call and the same sequence in every run. Default: the process-wide generator.
   */
  seed?: number;
}

/** What a subclass fixes about its rate and when its noise is on. */
export interface DropoutLayerBehaviour {
  /** Accept a rate of exactly 1 (drop everything). Default false. */
  readonly allowRateOne?: boolean;
  /** Apply the noise in inference as well (MC dropout). Default false. */
  readonly alwaysOn?: boolean;
}

/**
 * The base of the dropkit dropout layers: a tfjs-layers `Layer` with a mutable, validated `rate`,
 * a `dropoutSite` kind for schedulers, an optional seed that makes a per-layer generator, and the
 * tfjs-layers training convention (noise only when called with `training: true`; the input
 * itself otherwise, or when the rate is 0). Subclass it for a new dropout layer: set
 * `dropoutSite`, implement `applyNoise`, give the class a `className` and register it with
 * `serialization.registerClass` to save it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DropoutLayer } from '@dropkit/layers';
 * import { dropout as dropoutOp } from '@dropkit/ops';
 * class ChannelDropout extends DropoutLayer {
 *   static className = 'ChannelDropout';
 *   readonly dropoutSite = 'dropout' as const;
 *   protected applyNoise(x: tf.Tensor): tf.Tensor {
 *     const noiseShape = x.shape.map((d, i) => (i === x.rank - 1 ? d : 1));
 *     return dropoutOp(x, { rate: this.rate, noiseShape, ...this.seedOption() });
 *   }
 * }
 * const layer = new ChannelDropout({ rate: 0.5, seed: 1 });
 * const y = layer.apply(tf.ones([3, 8]), { training: true }) as tf.Tensor;
 * const rows = y.arraySync() as number[][];
 * console.log(rows.every((r) => r.every((v, j) => v === rows[0]?.[j]))); // true
 * ```
 */
export abstract class DropoutLayer extends layers.Layer implements DropoutSite {
  /** Which schedule drives this layer. */
  abstract readonly dropoutSite: DropoutSiteKind;
  /** The seed given at construction, if any; it is saved in the config. */
  readonly seed: number | undefined;
  /**
   * The generator masks are drawn from when the layer has a seed. Replace it with
   * `Generator.fromState(saved)` to continue a checkpointed sequence.
   */
  generator: Generator | undefined;
  #rate = 0;
  readonly #allowRateOne: boolean;
  readonly #alwaysOn: boolean;

  /**
   * @param args - {@link DropoutLayerArgs}.
   * @param behaviour - {@link DropoutLayerBehaviour}.
   * @throws InvalidArgumentError for a rate or seed out of range.
   */
  constructor(args: DropoutLayerArgs, behaviour: DropoutLayerBehaviour = {}) {
    super(args);
    this.#allowRateOne = behaviour.allowRateOne ?? false;
    this.#alwaysOn = behaviour.alwaysOn ?? false;
    this.rate = args.rate;
    const { seed, generator } = seedGenerator(args.seed);
    this.seed = seed;
    this.generator = generator;
    this.supportsMasking = true;
  }

  /** The drop rate used from the next call on. */
  get rate(): number {
    return this.#rate;
  }

  /** @throws InvalidArgumentError for a value outside [0, 1) (or [0, 1] where allowed) or NaN. */
  set rate(value: number) {
    this.#rate = assertRate('rate', value, { allowOne: this.#allowRateOne });
  }

  /**
   * Returns the input unchanged unless the noise is on (training, or always for MC dropout) and
   * the rate is positive; then applies {@link DropoutLayer.applyNoise}.
   */
  override call(inputs: LayerInputs, kwargs: Kwargs): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = singleInput(inputs, this.name);
      if (this.#rate === 0 || !(this.#alwaysOn || isTraining(kwargs))) return x;
      return this.applyNoise(x);
    });
  }

  /** The layer's noise at the current rate, drawn from its generator (or the default one). */
  protected abstract applyNoise(x: Tensor): Tensor;

  /** The `seed` option for an op: the layer's generator, or nothing (the default generator). */
  protected seedOption(): { seed?: Generator } {
    return this.generator ? { seed: this.generator } : {};
  }

  override getConfig(): serialization.ConfigDict {
    return {
      rate: this.#rate,
      ...optionalEntry('seed', this.seed),
      ...super.getConfig(),
    };
  }
}
