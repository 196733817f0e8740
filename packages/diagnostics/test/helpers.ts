import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { Batch, Objective } from '../src/index.js';

/** A batch for objectives whose loss ignores the data (one example). */
export const noData = (): Batch => ({ xs: tf.zeros([1, 1]), ys: tf.zeros([1]) });

/** Dot product in float64. */
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

/** Cosine in float64. */
export const cos = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));

/** A deterministic stream of numbers in [-1, 1) (LCG), for test data that must not come from the code under test. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** An n x n orthogonal matrix (rows orthonormal), Gram-Schmidt on pseudo-random vectors, float64. */
export function orthogonal(n: number, seed: number): number[][] {
  const next = lcg(seed);
  const q: number[][] = [];
  while (q.length < n) {
    const v = Array.from({ length: n }, next);
    for (const u of q) {
      const d = dot(v, u);
      for (let i = 0; i < n; i++) v[i] = (v[i] as number) - d * (u[i] as number);
    }
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-3) q.push(v.map((x) => x / norm));
  }
  return q;
}

/** A = Q^T diag(eigenvalues) Q, symmetric, float64. */
export function symmetricWithEigenvalues(eigenvalues: readonly number[], seed: number): number[][] {
  const n = eigenvalues.length;
  const q = orthogonal(n, seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < n; k++)
        s += (q[k]?.[i] as number) * (eigenvalues[k] as number) * (q[k]?.[j] as number);
      return s;
    }),
  );
}

/**
 * The objective 0.5 w'Aw over parameters split into several variables (to exercise
 * multi-parameter handling): `shapes` must hold A's size in total.
 */
export function quadratic(
  a: readonly (readonly number[])[],
  w0: readonly number[],
  shapes: readonly (readonly number[])[],
): { objective: Objective; params: tf.Variable[]; dispose: () => void } {
  const n = a.length;
  const aT = tf.tensor2d(
    a.map((r) => [...r]),
    [n, n],
  );
  let offset = 0;
  const params = shapes.map((shape, i) => {
    const size = shape.reduce((x, y) => x * y, 1);
    const v = tf.variable(
      tf.tensor(w0.slice(offset, offset + size), [...shape]),
      true,
      `q${i}_${Math.random()}`,
    );
    offset += size;
    return v;
  });
  expect(offset).toBe(n);
  const objective: Objective = {
    params,
    loss: () =>
      tf.tidy(() => {
        const w = tf.concat(
          params.map((p) => tf.reshape(p, [-1, 1])),
          0,
        );
        return tf.mul(0.5, tf.sum(tf.mul(w, tf.matMul(aT, w)))) as tf.Scalar;
      }),
  };
  return {
    objective,
    params,
    dispose: () => {
      aT.dispose();
      for (const p of params) p.dispose();
    },
  };
}

/** The bits of every variable, to compare weights exactly. */
export function bitsOf(vars: readonly tf.Tensor[]): number[][] {
  return vars.map((v) => Array.from(new Uint32Array(Float32Array.from(v.dataSync()).buffer)));
}

/** Top eigenvalue (largest magnitude) of a symmetric float64 matrix by Jacobi rotations. */
export function eigenvaluesOf(matrix: readonly (readonly number[])[]): number[] {
  const n = matrix.length;
  const a = matrix.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j) off += (a[i]?.[j] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]?.[q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q]?.[q] as number) - (a[p]?.[p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]?.[p] as number;
          const akq = a[k]?.[q] as number;
          (a[k] as number[])[p] = c * akp - s * akq;
          (a[k] as number[])[q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]?.[k] as number;
          const aqk = a[q]?.[k] as number;
          (a[p] as number[])[k] = c * apk - s * aqk;
          (a[q] as number[])[k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i] as number).sort((x, y) => y - x);
}
