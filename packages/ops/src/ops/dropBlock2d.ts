import { assertInteger, assertOneOf, assertRate, InvalidArgumentError } from '@dropkit/core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import { customGrad, mul, op, type Tensor, type TensorLike, tensor } from '@tensorflow/tfjs-core';
import { runDropkitKernel } from '../dispatch.js';
import { type DropBlockAttrs, DropkitDropBlock, DropkitProbDropBlock } from '../kernel_names.js';
import {
  dropBlockGeometry,
  dropBlockMultipliers,
  salienceFactors,
} from '../kernels/cpu/DropkitDropBlock.js';
import { resolveSeed, type SeedLike } from '../rng/generator.js';
import { assertRank, floatTensor } from '../validate.js';

/** Options of {@link dropBlock2d} and {@link probDropBlock2d}. */
export interface DropBlockOptions {
  /** The target fraction of dropped activations, in [0, 1). timm's default is 0.1. */
  readonly rate: number;
  /** The side of a dropped square, an integer in [1, min(H, W)]. timm's default is 7. */
  readonly blockSize?: number;
  /** `NHWC` (default, tfjs's layout) or `NCHW`. */
  readonly dataFormat?: 'NHWC' | 'NCHW';
  /** One mask per channel (default, as torchvision and keras-cv) or one per sample, shared. */
  readonly perChannel?: boolean;
  /** A number (fixed mask) or a generator (a new mask per call); see `dropout`. */
  readonly seed?: SeedLike;
  /** When false the op is the identity. Default true. */
  readonly training?: boolean;
}

function prepare(x: Tensor | TensorLike, options: DropBlockOptions) {
  const $x = floatTensor('x', x);
  assertRank('x', $x, [4], '[batch, height, width, channels] or [batch, channels, height, width]');
  const rate = assertRate('rate', options?.rate);
  const dataFormat = assertOneOf('dataFormat', options.dataFormat ?? 'NHWC', ['NHWC', 'NCHW']);
  const [h, w] = dataFormat === 'NHWC' ? [$x.shape[1], $x.shape[2]] : [$x.shape[2], $x.shape[3]];
  const blockSize = assertInteger('blockSize', options.blockSize ?? 7, { min: 1 });
  const side = Math.min(h as number, w as number);
  if (blockSize > side) {
    throw new InvalidArgumentError(
      'blockSize',
      blockSize,
      `an integer in [1, ${side}], the smaller side of the ${h}x${w} map (timm clips a larger block; dropkit rejects it)`,
    );
  }
  const perChannel = options.perChannel ?? true;
  if (typeof perChannel !== 'boolean')
    throw new InvalidArgumentError('perChannel', perChannel, 'true or false');
  const active = options.training !== false && rate > 0;
  const attrs: DropBlockAttrs | null = active
    ? { rate, blockSize, dataFormat, perChannel, ...resolveSeed(options.seed) }
    : null;
  return { $x, attrs };
}

/** The composed fallback: multipliers from the reference mask function, applied with tfjs's `mul`. */
function composedDropBlock(x: Tensor, attrs: DropBlockAttrs, salient: boolean): Tensor {
  // ProbDropBlock's mask depends on the input's values, so the gradient reads them from the
  // tensor saved on the tape: x itself may be an intermediate that tf.grad has disposed.
  const mask = (source: Tensor) => {
    const factors = salient
      ? salienceFactors(
          source.dataSync() as Float32Array,
          dropBlockGeometry(x.shape, attrs),
          attrs.dataFormat,
        )
      : undefined;
    const m = dropBlockMultipliers(x.shape, attrs, factors);
    return tensor(m.multipliers, m.shape, 'float32');
  };
  return customGrad((input, save) => {
    (save as GradSaveFunc)([input as Tensor]);
    return {
      value: mul(input as Tensor, mask(input as Tensor)),
      gradFunc: (dy: Tensor, saved: Tensor[]) => mul(dy, mask(saved[0] as Tensor)),
    };
  })(x);
}

/**
 * DropBlock (Ghiasi et al. 2018): drops contiguous bs x bs squares of a feature map, so that
 * nearby, correlated activations go together. Semantics, following torchvision's `drop_block2d`
 * with timm's gamma:
 * - gamma = rate * H * W / (bs^2 * (H - bs + 1) * (W - bs + 1)), so that about `rate` of the map
 *   is dropped;
 * - block seeds are drawn on the (N, C', H - bs + 1, W - bs + 1) grid (C' = C per channel, else
 *   1), seed (n, c', i, j) being element ((n * C' + c') * Hs + i) * Ws + j of the uniform noise in
 *   either data format, so NCHW gives NHWC's mask transposed; a seed fires iff its 24-bit
 *   uniform u < round(min(1, gamma) * 2^24) and drops rows i..i+bs-1 and columns j..j+bs-1,
 *   which works for odd and even block sizes and non-square maps (no centring or padding);
 * - the output is x * mask * scale with scale = fround(numel / kept), numel = N * C' * H * W the
 *   size of the whole mask and kept its non-dropped count (torchvision's numel / sum over the
 *   batch), and 0 everywhere if nothing is kept; the one float32 scale is what every backend
 *   multiplies by, so the paths agree bit for bit.
 * `training: false` or rate 0 returns a copy of x. A block larger than the map is an error where
 * timm clips it to the map: a silently shrunk block is not the regulariser asked for. The default
 * block size is timm's 7, so maps smaller than 7 need an explicit one. The gradient reruns the
 * kernel on dy with the same attributes (the op is linear in x and the mask depends only on the
 * seed and stream): dx = dy * mask * scale, no mask kept.
 *
 * @param x - a float32 feature map, [N, H, W, C] (NHWC) or [N, C, H, W] (NCHW).
 * @param options - {@link DropBlockOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError for a rate outside [0, 1), a non-float or non-4-D x, a block size
 *   below 1 or above the map, an unknown data format or a bad seed.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropBlock2d } from '@dropkit/ops';
 * const y = dropBlock2d(tf.ones([2, 16, 16, 4]), { rate: 0.1, blockSize: 3, seed: 1 });
 * console.log(y.shape); // [ 2, 16, 16, 4 ]
 * ```
 */
function dropBlock2d_(x: Tensor | TensorLike, options: DropBlockOptions): Tensor {
  const { $x, attrs } = prepare(x, options);
  if (!attrs) return $x.clone();
  return runDropkitKernel(DropkitDropBlock, { x: $x }, attrs, () =>
    composedDropBlock($x, attrs, false),
  );
}

/**
 * ProbDropBlock (Zhao et al. 2023): DropBlock whose block seeds fall where the features are
 * salient. The salience of a position is the mean over channels of |x|; a block's salience S is
 * its mean over the block; seed (n, c', i, j) fires with probability
 * min(1, gamma * S(n, i, j) / mean over (i, j) of S(n)), so the expected number of seeds, and with
 * it the expected dropped fraction, is DropBlock's (up to the clamp at 1). The seed grid, its
 * noise layout, the blocks and the numel / kept rescale are {@link dropBlock2d}'s; only the
 * threshold of each seed changes. Salience is computed in float64 through a summed-area table in
 * the order `salienceFactors` documents; masks agree across backends bit for bit up to the
 * rounding of that salience where it lands on a threshold. A constant map gives factors of
 * exactly 1, so DropBlock's mask; a sample whose mean salience is 0 or not finite (a NaN or
 * infinity in x) falls back to DropBlock's uniform gamma. The gradient treats the mask as
 * constant: dx = dy * mask * scale, the mask regenerated from the saved input (no gradient flows
 * through the salience). The composed fallback reads x to the host to compute the same mask.
 *
 * @param x - a float32 feature map, [N, H, W, C] (NHWC) or [N, C, H, W] (NCHW).
 * @param options - {@link DropBlockOptions}.
 * @returns a tensor of x's shape.
 * @throws InvalidArgumentError as {@link dropBlock2d}.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropBlock2d, probDropBlock2d } from '@dropkit/ops';
 * const x = tf.ones([1, 12, 12, 2]); // uniform salience: the same mask as DropBlock
 * const a = probDropBlock2d(x, { rate: 0.2, blockSize: 3, seed: 4 });
 * const b = dropBlock2d(x, { rate: 0.2, blockSize: 3, seed: 4 });
 * console.log(tf.all(tf.equal(a, b)).dataSync()[0]); // 1
 * ```
 */
function probDropBlock2d_(x: Tensor | TensorLike, options: DropBlockOptions): Tensor {
  const { $x, attrs } = prepare(x, options);
  if (!attrs) return $x.clone();
  return runDropkitKernel(DropkitProbDropBlock, { x: $x }, attrs, () =>
    composedDropBlock($x, attrs, true),
  );
}

export const dropBlock2d = op({ dropBlock2d_ });
export const probDropBlock2d = op({ probDropBlock2d_ });
