import {
  alphaDropout,
  dropBlock2d,
  dropConnect,
  dropout,
  dropPath,
  gaussianDropout,
  probDropBlock2d,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
  standout,
  stochasticDepth,
} from '@dropkit/ops';
import type { Tensor } from '@tensorflow/tfjs-core';

/** One op of `dropkit-bench ops`. */
export interface OpEntry {
  /** The op's export name in `@dropkit/ops`. */
  readonly name: string;
  /** The drop rate the op runs at (and `tf.dropout` with it, where comparable). */
  readonly rate: number;
  /**
   * Runs the op once on x with a fixed seed. `companion` is a second float32 tensor of x's shape
   * for ops with a second input (standout's pre-activation); the others ignore it.
   */
  readonly run: (x: Tensor, seed: number, companion: Tensor) => Tensor;
  /** Whether `tf.dropout(x, rate)` computes the same thing (element-wise inverted dropout). */
  readonly comparableToTfDropout: boolean;
  /** The input shape for about n elements (the exact count is the product, reported as such). */
  readonly inputShape: (n: number) => number[];
  /** Anything a reader of the table should know about this op's figures. */
  readonly note?: string;
}

/**
 * [batch, ...inner] with about n elements: batch = round(n / prod(inner)); when n is smaller than
 * one sample the leading inner dimension shrinks instead.
 */
export function batchedShape(n: number, inner: readonly number[]): number[] {
  const perSample = inner.reduce((a, b) => a * b, 1);
  if (n >= perSample) return [Math.max(1, Math.round(n / perSample)), ...inner];
  const [lead = 1, ...rest] = inner;
  const restSize = perSample / lead;
  return [1, Math.max(1, Math.round(n / restSize)), ...rest];
}

/** A 32x32 NHWC feature map with 16 channels: 16,384 elements a sample. */
const nhwc = (n: number) => batchedShape(n, [32, 32, 16]);

/** Every op `dropkit-bench ops` times, in report order. */
export const OPS_TABLE: readonly OpEntry[] = [
  {
    name: 'dropout',
    rate: 0.5,
    run: (x, seed) => dropout(x, { rate: 0.5, seed }),
    comparableToTfDropout: true,
    inputShape: (n) => [n],
  },
  {
    name: 'spatialDropout1d',
    rate: 0.5,
    run: (x, seed) => spatialDropout1d(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: (n) => batchedShape(n, [256, 64]),
  },
  {
    name: 'spatialDropout2d',
    rate: 0.5,
    run: (x, seed) => spatialDropout2d(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: nhwc,
  },
  {
    name: 'spatialDropout3d',
    rate: 0.5,
    run: (x, seed) => spatialDropout3d(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: (n) => batchedShape(n, [8, 16, 16, 8]),
  },
  {
    name: 'dropPath',
    rate: 0.5,
    run: (x, seed) => dropPath(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: (n) => batchedShape(n, [64, 256]),
  },
  {
    name: 'stochasticDepth',
    rate: 0.5,
    run: (x, seed) => stochasticDepth(x, { rate: 0.5, mode: 'batch', seed }),
    comparableToTfDropout: false,
    inputShape: (n) => batchedShape(n, [64, 256]),
    note: 'mode "batch" (one draw for the whole batch)',
  },
  {
    name: 'dropConnect',
    rate: 0.5,
    run: (x, seed) => dropConnect(x, { rate: 0.5, seed }),
    comparableToTfDropout: true,
    inputShape: (n) => batchedShape(n, [1024]),
    note: 'the weight matrix alone; denseDropConnect adds a matMul and is not timed here',
  },
  {
    name: 'gaussianDropout',
    rate: 0.5,
    run: (x, seed) => gaussianDropout(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: (n) => [n],
  },
  {
    name: 'alphaDropout',
    rate: 0.5,
    run: (x, seed) => alphaDropout(x, { rate: 0.5, seed }),
    comparableToTfDropout: false,
    inputShape: (n) => [n],
  },
  {
    name: 'standout',
    rate: 0.5,
    run: (x, seed, a) => standout(x, a, { seed }),
    comparableToTfDropout: false,
    inputShape: (n) => [n],
    note: 'keep probability sigmoid(a) per unit (alpha 1, beta 0), so about half are kept on a ~ N(0, 1); rate column is nominal',
  },
  {
    name: 'dropBlock2d',
    rate: 0.1,
    run: (x, seed) => dropBlock2d(x, { rate: 0.1, blockSize: 7, seed }),
    comparableToTfDropout: false,
    inputShape: nhwc,
    note: 'NHWC, block size 7 (timm defaults)',
  },
  {
    name: 'probDropBlock2d',
    rate: 0.1,
    run: (x, seed) => probDropBlock2d(x, { rate: 0.1, blockSize: 7, seed }),
    comparableToTfDropout: false,
    inputShape: nhwc,
    note: 'NHWC, block size 7; salience from the input itself (saved for the backward pass)',
  },
];
