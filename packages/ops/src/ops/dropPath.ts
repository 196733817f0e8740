import { assertOneOf, assertRate } from '@dropkit/core';
import { op, type Tensor, type TensorLike, zerosLike } from '@tensorflow/tfjs-core';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { floatTensor } from '../validate.js';
import { applyDropout } from './dropout.js';

/** Options of {@link dropPath}. */
export interface DropPathOptions {
  /** The probability of dropping a sample's branch, in [0, 1]; 1 drops every branch. */
  readonly rate: number;
  /** Divide kept branches by the keep probability (timm's `scale_by_keep`). Default true. */
  readonly scaleByKeep?: boolean;
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

function dropBranch(x: Tensor | TensorLike, options: DropPathOptions, perSample: boolean): Tensor {
  const $x = floatTensor('x', x);
  const rate = assertRate('rate', options?.rate, { allowOne: true });
  if (options.training === false || rate === 0) return $x.clone();
  const key = resolveSeed(options.seed);
  if (rate === 1) return zerosLike($x);
  const keep = 1 - rate;
  const scale = options.scaleByKeep === false ? 1 : 1 / keep;
  const noiseShape = $x.shape.map((d, i) => (perSample && i === 0 ? d : 1));
  return applyDropout($x, rate, scale, noiseShape, key);
}

/**
 * Drop path (stochastic depth per sample, timm `drop_path`): zeroes a residual branch for each
 * sample with probability `rate` and divides the kept ones by 1 - rate. Apply it to the branch,
 * then add the shortcut.
 *
 * @param x - the branch output, a float32 tensor whose first axis is the batch.
 * @param options - {@link DropPathOptions}.
 * @returns a tensor of x's shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropPath } from '@dropkit/ops';
 * const y = dropPath(tf.ones([4, 3]), { rate: 0.5, seed: 5 });
 * console.log(y.arraySync().every((row) => row.every((v) => v === row[0]))); // true
 * ```
 */
function dropPath_(x: Tensor | TensorLike, options: DropPathOptions): Tensor {
  return dropBranch(x, options, true);
}

/** Options of {@link stochasticDepth}. */
export interface StochasticDepthOptions {
  /** The probability of dropping the branch, in [0, 1]. */
  readonly rate: number;
  /** `row`: one draw per sample (default); `batch`: one draw for the whole batch. */
  readonly mode?: 'row' | 'batch';
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

/**
 * Stochastic depth as torchvision's `StochasticDepth`: mode `row` drops a residual branch per
 * sample, mode `batch` for the whole batch at once; survivors are divided by 1 - rate.
 *
 * @param x - the branch output, a float32 tensor whose first axis is the batch.
 * @param options - {@link StochasticDepthOptions}.
 * @returns a tensor of x's shape.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { stochasticDepth } from '@dropkit/ops';
 * const y = stochasticDepth(tf.ones([3, 2]), { rate: 0.5, mode: 'batch', seed: 11 });
 * const v = y.dataSync();
 * console.log(v.every((e) => e === v[0])); // true
 * ```
 */
function stochasticDepth_(x: Tensor | TensorLike, options: StochasticDepthOptions): Tensor {
  const mode = assertOneOf('mode', options?.mode ?? 'row', ['row', 'batch']);
  const { mode: _m, ...rest } = options;
  return dropBranch(x, rest, mode === 'row');
}

export const dropPath = op({ dropPath_ });
export const stochasticDepth = op({ stochasticDepth_ });
