import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import { type Generator, standout as standoutOp } from '@dropkit/ops';
import { type serialization, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import {
  isTraining,
  type Kwargs,
  type LayerArgs,
  type LayerInputs,
  optionalEntry,
  seedGenerator,
} from './layerUtils.js';
import { registered } from './registerLayers.js';

/** Arguments of {@link Standout}. */
export interface StandoutArgs extends LayerArgs {
  /** The scale of the pre-activation in the keep probability sigmoid(alpha a + beta). Default 1. */
  alpha?: number;
  /** The offset in the keep probability sigmoid(alpha a + beta). Default 0. */
  beta?: number;
  /** An integer in [0, 2^53): a new, reproducible mask per step. Default: the default generator. */
  seed?: number;
}

/**
 * Standout, or adaptive dropout (Ba & Frey 2013), as a layer: each unit is kept with its own
 * probability p = sigmoid(alpha * a + beta) computed from the pre-activation a, kept units pass
 * unscaled (`standout` from `@dropkit/ops`). Called on `[x, a]` it keeps x's units by a's
 * probabilities, the paper's form; called on one tensor it uses it as both x and a, which for a
 * ReLU output gives the same output as the paper's rule (where relu(a) is 0 the unit is 0 either
 * way). In inference it returns the expectation x * p, the paper's test-time rule, not the
 * identity. Standout has no drop rate, so it is not a dropout site; `alpha` and `beta` are
 * mutable.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Standout } from '@dropkit/layers';
 * const layer = new Standout({ alpha: 1, beta: 0, seed: 1 });
 * const a = tf.tensor2d([[-20, 20]]);
 * console.log(Array.from((layer.apply(tf.relu(a), { training: true }) as tf.Tensor).dataSync())); // [ 0, 20 ]
 * console.log(Array.from((layer.apply(tf.zeros([1, 2])) as tf.Tensor).dataSync())); // [ 0, 0 ]
 * ```
 */
export class Standout extends layers.Layer {
  /** The name this class is registered under for serialization. */
  static className = 'DropkitStandout';
  /** The seed given at construction, if any; it is saved in the config. */
  readonly seed: number | undefined;
  /** The generator masks are drawn from when the layer has a seed. */
  generator: Generator | undefined;
  #alpha = 1;
  #beta = 0;

  /**
   * @param args - {@link StandoutArgs}.
   * @throws InvalidArgumentError for a non-finite alpha or beta, or a bad seed.
   */
  constructor(args: StandoutArgs = {}) {
    super(registered(args));
    this.alpha = args.alpha ?? 1;
    this.beta = args.beta ?? 0;
    const { seed, generator } = seedGenerator(args.seed);
    this.seed = seed;
    this.generator = generator;
    this.supportsMasking = true;
  }

  /** The scale of the pre-activation in the keep probability. */
  get alpha(): number {
    return this.#alpha;
  }

  /** @throws InvalidArgumentError for a value that is not a finite number. */
  set alpha(value: number) {
    this.#alpha = assertFinite('alpha', value);
  }

  /** The offset in the keep probability. */
  get beta(): number {
    return this.#beta;
  }

  /** @throws InvalidArgumentError for a value that is not a finite number. */
  set beta(value: number) {
    this.#beta = assertFinite('beta', value);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : inputShape;
  }

  override computeMask(_inputs: LayerInputs, mask?: Tensor | Tensor[]): Tensor | Tensor[] {
    // Masks follow x, the first input; tfjs-layers passes null entries when there are none.
    return (Array.isArray(mask) ? mask[0] : mask) as Tensor;
  }

  override call(inputs: LayerInputs, kwargs: Kwargs): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const [x, a] = this.#split(inputs);
      return standoutOp(x, a, {
        alpha: this.#alpha,
        beta: this.#beta,
        training: isTraining(kwargs),
        ...(this.generator ? { seed: this.generator } : {}),
      });
    });
  }

  #split(inputs: LayerInputs): [Tensor, Tensor] {
    if (!Array.isArray(inputs)) return [inputs, inputs];
    const [x, a] = inputs;
    if (x === undefined || inputs.length > 2) {
      throw new InvalidArgumentError(
        `${this.name} inputs`,
        `a list of ${inputs.length} tensors`,
        'one tensor, or [x, preActivation]',
      );
    }
    return [x, a ?? x];
  }

  override getConfig(): serialization.ConfigDict {
    return {
      alpha: this.#alpha,
      beta: this.#beta,
      ...optionalEntry('seed', this.seed),
      ...super.getConfig(),
    };
  }
}

/**
 * Makes a {@link Standout} layer.
 *
 * @param args - {@link StandoutArgs}.
 * @returns the layer.
 * @example
 * ```ts
 * import { standout } from '@dropkit/layers';
 * console.log(standout({ alpha: 2, beta: -1 }).getConfig().alpha); // 2
 * ```
 */
export function standout(args: StandoutArgs = {}): Standout {
  return new Standout(args);
}
