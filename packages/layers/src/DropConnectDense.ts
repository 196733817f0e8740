import { assertRate } from '@dropkit/core';
import { dropConnect, type Generator } from '@dropkit/ops';
import { serialization, type Tensor, tidy } from '@tensorflow/tfjs-core';
// Evaluated first so that its Dense class is in the serialization map when this module extends it.
import '@tensorflow/tfjs-layers';
import type { layers } from '@tensorflow/tfjs-layers';
import type { DropoutSite } from './dropoutSite.js';
import {
  isTraining,
  type Kwargs,
  type LayerInputs,
  optionalEntry,
  seedGenerator,
} from './layerUtils.js';
import { registered } from './registerLayers.js';

/** The arguments of `tf.layers.dense` (units, activation, useBias, initializers, ...). */
export type DenseLayerArgs = Parameters<typeof layers.dense>[0];

/** The instance type of tfjs-layers' `Dense` layer. */
export type DenseLayer = ReturnType<typeof layers.dense>;

type DenseConstructor = (new (args: DenseLayerArgs) => DenseLayer) & { className: string };

/**
 * tfjs-layers exports a `dense` factory but not its `Dense` class; the class it registers for
 * deserialization is the same one, so extending it keeps Dense's weights, initializers,
 * regularizers, constraints, fused activations and config exactly.
 */
function denseClass(): DenseConstructor {
  const entry = serialization.SerializationMap.getMap().classNameMap.Dense;
  if (!entry) throw new Error('@tensorflow/tfjs-layers has not registered its Dense layer');
  return entry[0] as unknown as DenseConstructor;
}

/** Arguments of {@link DropConnectDense}: `tf.layers.dense`'s, plus the rate and a seed. */
export interface DropConnectDenseArgs extends DenseLayerArgs {
  /** The probability of dropping each weight of the kernel in training, in [0, 1); mutable. */
  rate: number;
  /** An integer in [0, 2^53): a new, reproducible mask per step. Default: the default generator. */
  seed?: number;
}

/** The field of tfjs-layers' Dense that holds its kernel; read through `read()` in `call`. */
interface DenseKernelSlot {
  kernel: { read(): Tensor } | null;
}

/**
 * A dense layer with DropConnect (Wan et al. 2013) on its kernel and a mutable rate: in training
 * each weight of the kernel is dropped with probability `rate` and the rest scaled by
 * 1 / (1 - rate), one mask per call shared by the batch; the bias is not dropped. In inference it
 * is the plain dense layer (the expected weights, as inverted scaling makes them). Everything
 * else (arguments, weights named `kernel` and `bias`, fused activations, config) is
 * `tf.layers.dense`'s.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { DropConnectDense } from '@dropkit/layers';
 * const layer = new DropConnectDense({ units: 3, rate: 0.5, seed: 1, inputShape: [4] });
 * const x = tf.ones([2, 4]);
 * const train = layer.apply(x, { training: true }) as tf.Tensor;
 * const infer = layer.apply(x) as tf.Tensor;
 * console.log(train.shape, layer.getWeights().length, tf.all(tf.equal(train, infer)).dataSync()[0]); // [ 2, 3 ] 2 0
 * ```
 */
export class DropConnectDense extends denseClass() implements DropoutSite {
  /** The name this class is registered under for serialization. */
  static override className = 'DropkitDropConnectDense';
  readonly dropoutSite = 'dropout' as const;
  /** The seed given at construction, if any; it is saved in the config. */
  readonly seed: number | undefined;
  /** The generator masks are drawn from when the layer has a seed. */
  generator: Generator | undefined;
  #rate = 0;

  /**
   * @param args - {@link DropConnectDenseArgs}.
   * @throws InvalidArgumentError for a rate outside [0, 1) or a bad seed.
   */
  constructor(args: DropConnectDenseArgs) {
    super(registered(args));
    this.rate = args.rate;
    const { seed, generator } = seedGenerator(args.seed);
    this.seed = seed;
    this.generator = generator;
  }

  /** The drop rate of the kernel's weights used from the next call on. */
  get rate(): number {
    return this.#rate;
  }

  /** @throws InvalidArgumentError for a value outside [0, 1) or NaN. */
  set rate(value: number) {
    this.#rate = assertRate('rate', value);
  }

  override call(inputs: LayerInputs, kwargs: Kwargs): Tensor | Tensor[] {
    const slot = this as unknown as DenseKernelSlot;
    const kernel = slot.kernel;
    if (!isTraining(kwargs) || this.#rate === 0 || kernel === null) {
      return super.call(inputs, kwargs);
    }
    return tidy(() => {
      const masked = dropConnect(kernel.read(), {
        rate: this.#rate,
        ...(this.generator ? { seed: this.generator } : {}),
      });
      // Dense's own call reads the kernel through this slot: pointing it at the masked kernel
      // for one call reuses Dense's matmul, fused bias and activation unchanged, and the
      // gradient reaches the variable through dropConnect.
      slot.kernel = { read: () => masked };
      try {
        return super.call(inputs, kwargs);
      } finally {
        slot.kernel = kernel;
      }
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.#rate, ...optionalEntry('seed', this.seed) };
  }
}

/**
 * Makes a {@link DropConnectDense} layer.
 *
 * @param args - {@link DropConnectDenseArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { dropConnectDense } from '@dropkit/layers';
 * const layer = dropConnectDense({ units: 4, rate: 0.3, activation: 'relu' });
 * console.log(layer.getConfig().units, layer.getConfig().activation); // 4 relu
 * ```
 */
export function dropConnectDense(args: DropConnectDenseArgs): DropConnectDense {
  return new DropConnectDense(args);
}
