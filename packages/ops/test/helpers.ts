import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { setComposedOnly } from '../src/index.js';

/** Runs `fn` on the composed fallback path, then restores the fused path. */
export function composed<T>(fn: () => T): T {
  setComposedOnly(true);
  try {
    return fn();
  } finally {
    setComposedOnly(false);
  }
}

/** Asserts two float32 arrays are identical bit for bit (NaN payloads and signed zeros included). */
export function expectBitIdentical(
  a: Float32Array | ArrayLike<number>,
  b: Float32Array | ArrayLike<number>,
): void {
  const x = new Uint32Array(Float32Array.from(a as ArrayLike<number>).buffer);
  const y = new Uint32Array(Float32Array.from(b as ArrayLike<number>).buffer);
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) expect.fail(`element ${i} differs: ${a[i]} vs ${b[i]}`);
  }
}

/** Binomial bound: |count - n p| <= z * sqrt(n p (1 - p)). */
export function expectBinomial(count: number, n: number, p: number, z = 5): void {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(
    Math.abs(count - n * p),
    `count ${count} of ${n} vs expected ${n * p} (sigma ${sigma.toFixed(1)})`,
  ).toBeLessThanOrEqual(z * sigma);
}

/** Pearson correlation of two equal-length sequences. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The value of a scalar computed inside a tidy, read asynchronously (as every backend allows). */
export async function scalarOf(fn: () => tf.Tensor): Promise<number> {
  const t = tf.tidy(fn);
  const v = (await t.data())[0] as number;
  t.dispose();
  return v;
}

/**
 * Central-difference gradient of a scalar function at x, element by element (float64 math on
 * float32 tensors, so use it on small inputs and functions that are smooth or piecewise linear).
 */
export async function numericGrad(
  f: (x: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  h = 1e-2,
): Promise<Float32Array> {
  const base = (await x.data()).slice();
  const g = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    const fp = await scalarOf(() => f(tf.tensor(plus, x.shape)));
    const fm = await scalarOf(() => f(tf.tensor(minus, x.shape)));
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/**
 * The bytes an op's gradient allocates: probes on either side of the op record tf.memory() when
 * the backward pass reaches them, less the same reading with a pass-through in the op's place.
 */
export function backwardBytes(op: (t: tf.Tensor) => tf.Tensor, n: number): number {
  const seen: number[] = [];
  const probe = tf.customGrad((t) => ({
    value: tf.clone(t as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => {
      seen.push(tf.memory().numBytes);
      return tf.clone(dy);
    },
  }));
  const run = (f: (t: tf.Tensor) => tf.Tensor) => {
    seen.length = 0;
    tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(probe(f(probe(t)))))(tf.ones([n])));
    expect(seen).toHaveLength(2);
    return (seen[1] as number) - (seen[0] as number);
  };
  return run(op) - run((t) => t);
}
