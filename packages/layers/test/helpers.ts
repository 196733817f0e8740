import {
  alphaDropout as alphaDropoutOp,
  createGenerator,
  dropBlock2d as dropBlock2dOp,
  dropConnect,
  dropout as dropoutOp,
  dropPath as dropPathOp,
  type Generator,
  gaussianDropout as gaussianDropoutOp,
  probDropBlock2d as probDropBlock2dOp,
  spatialDropout1d as spatialDropout1dOp,
  spatialDropout2d as spatialDropout2dOp,
  spatialDropout3d as spatialDropout3dOp,
  standout as standoutOp,
  stochasticDepth as stochasticDepthOp,
} from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  AlphaDropout,
  DropBlock2D,
  DropConnectDense,
  Dropout,
  type DropoutSiteKind,
  DropPath,
  GaussianDropout,
  MCDropout,
  ProbDropBlock2D,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  Standout,
  StochasticDepth,
} from '../src/index.js';

/** What a layer does in inference: nothing, its noise (MC dropout), or x * p (standout). */
export type InferenceBehaviour = 'identity' | 'noise' | 'expectation';

/** One layer under test: how to make it, what to feed it, and the op call it must equal. */
export interface LayerCase {
  readonly className: string;
  readonly site: DropoutSiteKind | undefined;
  readonly shape: readonly number[];
  readonly inference: InferenceBehaviour;
  readonly make: (seed?: number) => tfl.layers.Layer;
  /** The training output the layer must give: the op called with a fresh generator of the seed. */
  readonly reference: (layer: tfl.layers.Layer, x: tf.Tensor, g: Generator) => tf.Tensor;
}

const s = (seed: number | undefined) => (seed === undefined ? {} : { seed });

/** Every layer of the package, each with options that differ from the defaults. */
export const LAYER_CASES: readonly LayerCase[] = [
  {
    className: 'DropkitDropout',
    site: 'dropout',
    shape: [3, 5, 4],
    inference: 'identity',
    make: (seed) => new Dropout({ rate: 0.4, noiseShape: [null, 1, 4], ...s(seed) }),
    reference: (_, x, g) => dropoutOp(x, { rate: 0.4, noiseShape: [3, 1, 4], seed: g }),
  },
  {
    className: 'DropkitSpatialDropout1D',
    site: 'dropout',
    shape: [2, 5, 6],
    inference: 'identity',
    make: (seed) => new SpatialDropout1D({ rate: 0.4, ...s(seed) }),
    reference: (_, x, g) => spatialDropout1dOp(x, { rate: 0.4, seed: g }),
  },
  {
    className: 'DropkitSpatialDropout2D',
    site: 'dropout',
    shape: [2, 6, 3, 3],
    inference: 'identity',
    make: (seed) => new SpatialDropout2D({ rate: 0.5, dataFormat: 'channelsFirst', ...s(seed) }),
    reference: (_, x, g) =>
      spatialDropout2dOp(x, { rate: 0.5, dataFormat: 'channelsFirst', seed: g }),
  },
  {
    className: 'DropkitSpatialDropout3D',
    site: 'dropout',
    shape: [2, 2, 2, 2, 5],
    inference: 'identity',
    make: (seed) => new SpatialDropout3D({ rate: 0.3, ...s(seed) }),
    reference: (_, x, g) => spatialDropout3dOp(x, { rate: 0.3, seed: g }),
  },
  {
    className: 'DropkitGaussianDropout',
    site: 'dropout',
    shape: [4, 6],
    inference: 'identity',
    make: (seed) => new GaussianDropout({ rate: 0.3, ...s(seed) }),
    reference: (_, x, g) => gaussianDropoutOp(x, { rate: 0.3, seed: g }),
  },
  {
    className: 'DropkitAlphaDropout',
    site: 'dropout',
    shape: [4, 6],
    inference: 'identity',
    make: (seed) => new AlphaDropout({ rate: 0.2, ...s(seed) }),
    reference: (_, x, g) => alphaDropoutOp(x, { rate: 0.2, seed: g }),
  },
  {
    className: 'DropkitDropConnectDense',
    site: 'dropout',
    shape: [4, 6],
    inference: 'identity',
    make: (seed) => new DropConnectDense({ units: 5, rate: 0.4, activation: 'relu', ...s(seed) }),
    reference: (layer, x, g) => {
      const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
      return tf.relu(tf.add(tf.matMul(x, dropConnect(kernel, { rate: 0.4, seed: g })), bias));
    },
  },
  {
    className: 'DropkitDropBlock2D',
    site: 'dropout',
    shape: [2, 8, 8, 3],
    inference: 'identity',
    make: (seed) => new DropBlock2D({ rate: 0.3, blockSize: 3, perChannel: false, ...s(seed) }),
    reference: (_, x, g) =>
      dropBlock2dOp(x, { rate: 0.3, blockSize: 3, perChannel: false, seed: g }),
  },
  {
    className: 'DropkitProbDropBlock2D',
    site: 'dropout',
    shape: [2, 3, 6, 6],
    inference: 'identity',
    make: (seed) =>
      new ProbDropBlock2D({ rate: 0.3, blockSize: 2, dataFormat: 'NCHW', ...s(seed) }),
    reference: (_, x, g) =>
      probDropBlock2dOp(x, { rate: 0.3, blockSize: 2, dataFormat: 'NCHW', seed: g }),
  },
  {
    className: 'DropkitDropPath',
    site: 'dropPath',
    shape: [8, 4],
    inference: 'identity',
    make: (seed) => new DropPath({ rate: 0.4, ...s(seed) }),
    reference: (_, x, g) => dropPathOp(x, { rate: 0.4, seed: g }),
  },
  {
    className: 'DropkitStochasticDepth',
    site: 'dropPath',
    shape: [8, 4],
    inference: 'identity',
    make: (seed) => new StochasticDepth({ rate: 0.5, mode: 'batch', ...s(seed) }),
    reference: (_, x, g) => stochasticDepthOp(x, { rate: 0.5, mode: 'batch', seed: g }),
  },
  {
    className: 'DropkitMCDropout',
    site: 'dropout',
    shape: [4, 6],
    inference: 'noise',
    make: (seed) => new MCDropout({ rate: 0.4, ...s(seed) }),
    reference: (_, x, g) => dropoutOp(x, { rate: 0.4, seed: g }),
  },
  {
    className: 'DropkitStandout',
    site: undefined,
    shape: [4, 6],
    inference: 'expectation',
    make: (seed) => new Standout({ alpha: 0.5, beta: 0.2, ...s(seed) }),
    reference: (_, x, g) => standoutOp(x, x, { alpha: 0.5, beta: 0.2, seed: g }),
  },
];

/** A random input of a case's shape, away from 0 so that ratios are defined. */
export function inputFor(shape: readonly number[], seed = 1): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.randomNormal(shape as number[], 0, 1, 'float32', seed);
    return tf.add(z, tf.mul(tf.sign(z), 0.5));
  });
}

/** Runs a layer in training mode on a tensor. */
export function train(layer: tfl.layers.Layer, x: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return layer.apply(x, { training: true }) as tf.Tensor;
}

/** The 0/1 pattern of the non-zero entries of a tensor. */
export function keptOf(y: tf.Tensor): number[] {
  return Array.from(y.dataSync(), (v) => (v === 0 ? 0 : 1));
}

/** Asserts two tensors hold the same values, bit for bit. */
export function expectSameValues(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const x = new Uint32Array(Float32Array.from(a.dataSync()).buffer);
  const y = new Uint32Array(Float32Array.from(b.dataSync()).buffer);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i])
      expect.fail(`element ${i} differs: ${a.dataSync()[i]} vs ${b.dataSync()[i]}`);
  }
}

/** Binomial bound: |count - n p| <= z * sqrt(n p (1 - p)). */
export function expectBinomial(count: number, n: number, p: number, z = 5): void {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p), `count ${count} of ${n} vs ${n * p}`).toBeLessThanOrEqual(
    z * sigma,
  );
}

/** A fresh generator, re-exported so tests build references the way the layers do. */
export { createGenerator };
