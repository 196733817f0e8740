import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import {
  add,
  customGrad,
  mul,
  op,
  sigmoid,
  type Tensor,
  type TensorLike,
  tensor,
  util,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { DropkitStandout, type StandoutAttrs } from '../kernel_names.js';
import { standoutKeepMask } from '../kernels/cpu/DropkitStandout.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { floatTensor } from '../validate.js';

/** Options of {@link standout}. */
export interface StandoutOptions {
  /** The slope of the keep probability in the pre-activation. Default 1. */
  readonly alpha?: number;
  /** The offset of the keep probability. Default 0. */
  readonly beta?: number;
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the output is x * p, the expected value (the paper's test-time rule). Default true. */
  readonly training?: boolean;
}

/**
 * Standout, or adaptive dropout (Ba & Frey 2013): each unit is kept with its own probability
 * p = sigmoid(alpha * a + beta), computed from the layer's pre-activation a, so strongly driven
 * units are kept more often. Kept units pass unscaled, as in the paper. Training: unit i is kept
 * iff its 24-bit uniform (the uniform layout of threefry.ts) is below round(p_i * 2^24), with p_i
 * computed in float64 from the float32 a_i and rounded to float32 (`standoutKeepProbability`);
 * out = x * keep. Backends agree bit for bit except where their exp rounds p differently right at
 * a threshold's rounding boundary. The gradient is dy * keep for x (the kernel run on dy with the
 * saved a, so the mask is regenerated) and zero for a: the sampling is not differentiated (in
 * the paper alpha and beta are hyperparameters). Inference (`training: false`): out = x * p, the
 * paper's test-time rule, with p computed by tfjs ops in float32 (so it runs on any backend
 * without a read-back and may differ from the training p in the last bit); being a plain tfjs
 * expression, it is differentiated in both x and a.
 *
 * @param x - the layer's output (e.g. relu(a)), a float32 tensor.
 * @param preActivation - a, a float32 tensor of x's shape.
 * @param options - {@link StandoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a non-float x or pre-activation, different shapes, a
 *   non-finite alpha or beta, or a seed that is not an integer in [0, 2^53).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { standout } from '@dropkit/ops';
 * const a = tf.tensor([-20, 20]);
 * const y = standout(tf.relu(a), a, { seed: 1 });
 * console.log(Array.from(y.dataSync())); // [ 0, 20 ]
 * ```
 */
function standout_(
  x: Tensor | TensorLike,
  preActivation: Tensor | TensorLike,
  options: StandoutOptions = {},
): Tensor {
  const $x = floatTensor('x', x);
  const $a = floatTensor('preActivation', preActivation);
  if (!util.arraysEqual($a.shape, $x.shape)) {
    throw new InvalidArgumentError('preActivation.shape', $a.shape, `x's shape [${$x.shape}]`);
  }
  const alpha = assertFinite('alpha', options.alpha ?? 1);
  const beta = assertFinite('beta', options.beta ?? 0);
  if (options.training === false) return mul($x, sigmoid(add(mul($a, alpha), beta)));
  const attrs: StandoutAttrs = { alpha, beta, ...resolveSeed(options.seed) };
  return runDropkitKernel(DropkitStandout, { x: $x, a: $a }, attrs, () => {
    // The composed path needs a's values in JavaScript to draw the mask with float64 sigmoid
    // arithmetic: computing p with tfjs float32 ops would not match the fused kernel's masks.
    // The pre-activation is saved on the tape for the gradient: it may be an intermediate
    // tensor that tf.grad disposes after the forward pass.
    const keep = (pre: Tensor) =>
      tensor(standoutKeepMask(pre.dataSync() as Float32Array, attrs), $x.shape, 'float32');
    return customGrad((input, pre, save) => {
      (save as GradSaveFunc)([pre as Tensor]);
      return {
        value: mul(input as Tensor, keep(pre as Tensor)),
        gradFunc: (dy: Tensor, saved: Tensor[]) => [
          mul(dy, keep(saved[0] as Tensor)),
          zerosLike(saved[0] as Tensor),
        ],
      };
    })($x, $a);
  });
}

export const standout = op({ standout_ });
