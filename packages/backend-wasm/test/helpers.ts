import { type SeedAttrs, threefry4x32 } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * A reproducible source of uniforms in [0, 1) for the random test cases: the reference
 * Threefry4x32-20 of @dropkit/ops in counter mode, keyed by `seed`.
 */
export function rng(seed: number): () => number {
  const block = new Uint32Array(4);
  let counter = 0;
  let word = 4;
  return () => {
    if (word === 4) {
      threefry4x32(block, 0, counter++, 0, 0, 0, seed, 0x7e57, 0, 0);
      word = 0;
    }
    return (block[word++] as number) / 2 ** 32;
  };
}

/** An integer in [lo, hi] from `next`. */
export const intIn = (next: () => number, lo: number, hi: number): number =>
  lo + Math.floor(next() * (hi - lo + 1));

/** A random key: seed and stream words over their whole range, high words included. */
export function randomKey(next: () => number): SeedAttrs {
  return {
    seedLo: intIn(next, 0, 0xffffffff),
    seedHi: intIn(next, 0, 0x1fffff),
    streamLo: intIn(next, 0, 0xffffffff),
    streamHi: intIn(next, 0, 0x1fffff),
  };
}

/**
 * A random shape of rank 1..4 whose size is mostly not a multiple of 4 or 16, with now and then
 * one long dimension so that the vectorised main loops run many times.
 */
export function randomShape(next: () => number): number[] {
  const rank = intIn(next, 1, 4);
  const shape = Array.from({ length: rank }, () => intIn(next, 1, 9));
  if (next() < 0.3) shape[intIn(next, 0, rank - 1)] = intIn(next, 50, 700);
  return shape;
}

/** Normal values with some exact zeros, negative zeros and large magnitudes mixed in. */
export function randomValues(next: () => number, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    if (u < 0.02) v[i] = 0;
    else if (u < 0.03) v[i] = -0;
    else if (u < 0.05) v[i] = (next() - 0.5) * 1e30;
    else v[i] = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  }
  return v;
}

/** Asserts two float32 arrays are identical bit for bit (signed zeros and NaN payloads too). */
export function expectBitIdentical(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what = '',
): void {
  const a = new Uint32Array(Float32Array.from(actual).buffer);
  const e = new Uint32Array(Float32Array.from(expected).buffer);
  expect(a.length, `${what} length`).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      expect.fail(`${what} element ${i} of ${a.length} differs: ${actual[i]} vs ${expected[i]}`);
    }
  }
}

/** Values and a shape, made into a tensor inside {@link runKernel}'s tidy. */
export interface Input {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Runs a dropkit kernel directly on the current backend (inputs made into tensors and released
 * inside a tidy) and returns a copy of its values.
 */
export function runKernel(
  name: string,
  inputs: Record<string, Input>,
  attrs: object,
): Float32Array {
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [key, { values, shape }] of Object.entries(inputs)) {
      tensors[key] = tf.tensor(values, shape as number[], 'float32');
    }
    const y = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return (y.dataSync() as Float32Array).slice();
  });
}

/**
 * Runs `fn` with `name` as the current backend and returns its result (plain values, not
 * tensors), then switches back to the backend that was current.
 */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}

/** A random broadcast noise shape for x's shape: each dimension kept or set to 1. */
export function randomNoiseShape(next: () => number, shape: readonly number[]): number[] {
  return shape.map((d) => (next() < 0.5 ? 1 : d));
}
