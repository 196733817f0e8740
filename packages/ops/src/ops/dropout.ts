import { assertRate } from '@dropkit/core';
import { customGrad, mul, op, type Tensor, type TensorLike, tensor } from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { DropkitDropout, type DropoutAttrs, type SeedAttrs } from '../kernel_names.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { rateThreshold, uniform24 } from '../rng/noise.js';
import { floatTensor, resolveNoiseShape } from '../validate.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** The probability of dropping an element, in [0, 1). */
  readonly rate: number;
  /**
   * The shape of the mask, broadcast against x (Keras `noise_shape`): same rank as x, each entry
   * 1, null or x's size there. Default: x's shape.
   */
  readonly noiseShape?: readonly (number | null)[];
  /**
   * A number: stream 0 of that seed, the same mask every call (as Keras). A generator: its next
   * stream, a new mask every call, reproducible. Default: the default generator.
   */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

/** The mask multipliers (0 or scale) of a dropout kernel call, over its noise shape. */
export function dropoutMultipliers(attrs: DropoutAttrs): Float32Array {
  const count = attrs.noiseShape.reduce((a, b) => a * b, 1);
  const u = uniform24(count, attrs);
  const scale = Math.fround(attrs.scale);
  const m = new Float32Array(count);
  for (let i = 0; i < count; i++) m[i] = (u[i] as number) < attrs.threshold ? 0 : scale;
  return m;
}

/** The composed fallback: the mask drawn by the reference RNG, applied with tfjs's `mul`. */
function composedDropout(x: Tensor, attrs: DropoutAttrs): Tensor {
  const mask = () => tensor(dropoutMultipliers(attrs), attrs.noiseShape, 'float32');
  const f = customGrad((input) => ({
    value: mul(input as Tensor, mask()),
    gradFunc: (dy: Tensor) => mul(dy, mask()),
  }));
  return f(x);
}

/**
 * Runs the dropout kernel: x * m, m = scale where kept and 0 where dropped, mask over
 * `noiseShape`. Shared by dropout, spatial dropout, DropConnect, drop path and stochastic depth.
 */
export function applyDropout(
  x: Tensor,
  rate: number,
  scale: number,
  noiseShape: number[],
  key: SeedAttrs,
): Tensor {
  const attrs: DropoutAttrs = {
    threshold: rateThreshold(rate),
    scale: Math.fround(scale),
    noiseShape,
    ...key,
  };
  return runDropkitKernel(DropkitDropout, { x }, attrs, () => composedDropout(x, attrs));
}

/**
 * Inverted dropout: each element is zeroed with probability `rate` and the rest are scaled by
 * 1 / (1 - rate), so the expected output equals the input (PyTorch, Keras and tfjs semantics).
 * A `noiseShape` broadcasts one mask over some dimensions, as Keras's `noise_shape`. The mask
 * comes from Threefry4x32-20 with the layout of ARCHITECTURE.md section 3: the same seed gives
 * the same mask on every backend, and the gradient regenerates it instead of keeping it.
 *
 * @param x - a float32 tensor.
 * @param options - {@link DropoutOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1) or NaN, a non-float x, a noise shape
 *   that does not broadcast, or a seed that is not an integer in [0, 2^53).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropout } from '@dropkit/ops';
 * const y = dropout(tf.ones([2, 4]), { rate: 0.5, seed: 42 });
 * console.log(y.dataSync().every((v) => v === 0 || v === 2)); // true
 * ```
 */
function dropout_(x: Tensor | TensorLike, options: DropoutOptions): Tensor {
  const $x = floatTensor('x', x);
  const rate = assertRate('rate', options?.rate);
  const noiseShape = resolveNoiseShape($x, options.noiseShape);
  if (options.training === false || rate === 0) return $x.clone();
  const key = resolveSeed(options.seed);
  return applyDropout($x, rate, 1 / (1 - rate), noiseShape, key);
}

export const dropout = op({ dropout_ });
