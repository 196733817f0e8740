import { dropout } from '@dropkit/ops';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  crossEntropyFromProbabilities,
  hessianTopEigenvalue,
  hessianTrace,
  type Objective,
  objectiveFromModel,
  sharpness,
} from '../src/index.js';
import {
  bitsOf,
  dot,
  eigenvaluesOf,
  lcg,
  noData,
  orthogonal,
  quadratic,
  symmetricWithEigenvalues,
} from './helpers.js';

const EIGS = [9, 4, 2.5, 1, 0.5, 0.25];
const SHAPES = [[2], [2, 2]] as const;

/** max over ||d|| <= r of g'd + 0.5 d'Ad (A = Q' diag(l) Q), by the secular equation, float64. */
function trustRegionMax(
  eigs: readonly number[],
  q: readonly (readonly number[])[],
  g: readonly number[],
  r: number,
): number {
  const gt = q.map((row) => dot(row, g));
  const lmax = Math.max(...eigs);
  const normAt = (mu: number) =>
    Math.sqrt(gt.reduce((s, gk, k) => s + (gk / (mu - (eigs[k] as number))) ** 2, 0));
  let lo = lmax + 1e-12;
  let hi = lmax + Math.sqrt(dot(g, g)) / r + 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normAt(mid) > r) lo = mid;
    else hi = mid;
  }
  const mu = (lo + hi) / 2;
  return gt.reduce((s, gk, k) => {
    const d = gk / (mu - (eigs[k] as number));
    return s + gk * d + 0.5 * (eigs[k] as number) * d * d;
  }, 0);
}

const matVec = (a: readonly (readonly number[])[], v: readonly number[]) =>
  a.map((row) => dot(row, v));

describeWithBackends('hessianTopEigenvalue', ({ it }) => {
  for (const method of ['exact', 'finite-difference', 'auto'] as const) {
    it(`finds the top eigenvalue of 0.5 w'Aw within 1e-3 relative (${method})`, async () => {
      const a = symmetricWithEigenvalues(EIGS, 11);
      const w0 = Array.from({ length: 6 }, lcg(3));
      const q = quadratic(a, w0, SHAPES);
      const before = bitsOf(q.params);
      const data = noData();
      const r = await expectNoLeaks(() => hessianTopEigenvalue(q.objective, data, { method }));
      expect(Math.abs(r.value - 9) / 9).toBeLessThan(1e-3);
      expect(r.converged).toBe(true);
      expect(r.iterations).toBeGreaterThanOrEqual(2);
      expect(r.iterations).toBeLessThanOrEqual(100);
      expect(r.method).toBe(method === 'auto' ? 'exact' : method);
      expect(r.check).toBe(method === 'auto' ? 'agreed' : 'skipped');
      expect(bitsOf(q.params)).toEqual(before);
      q.dispose();
    });
  }

  it('stops at maxIterations and says it did not converge', async () => {
    // Eigenvalues 9 and 8.9: the Rayleigh quotient creeps, 3 iterations cannot meet 1e-9.
    const a = symmetricWithEigenvalues([9, 8.9, 1, 1, 1, 1], 5);
    const q = quadratic(a, new Array(6).fill(1), SHAPES);
    const r = await hessianTopEigenvalue(q.objective, noData(), {
      maxIterations: 3,
      tolerance: 1e-9,
    });
    expect(r).toMatchObject({ iterations: 3, converged: false });
    q.dispose();
  });

  it('returns the eigenvalue of largest magnitude, negative included (as PyHessian)', async () => {
    const a = symmetricWithEigenvalues([-7, 3, 1, 0.5, 0.2, 0.1], 21);
    const q = quadratic(a, new Array(6).fill(0.3), SHAPES);
    const r = await hessianTopEigenvalue(q.objective, noData());
    expect(Math.abs(r.value + 7) / 7).toBeLessThan(1e-3);
    q.dispose();
  });

  it('rejects bad options naming the parameter', async () => {
    const q = quadratic([[1]], [1], [[1]]);
    await expect(hessianTopEigenvalue(q.objective, noData(), { maxIterations: 0 })).rejects.toThrow(
      /maxIterations/,
    );
    await expect(hessianTopEigenvalue(q.objective, noData(), { tolerance: 0 })).rejects.toThrow(
      /tolerance/,
    );
    await expect(
      hessianTopEigenvalue(q.objective, noData(), { method: 'x' as 'auto' }),
    ).rejects.toThrow(/method/);
    await expect(hessianTopEigenvalue(q.objective, noData(), { fdStep: -1 })).rejects.toThrow(
      /fdStep/,
    );
    await expect(hessianTopEigenvalue(q.objective, [])).rejects.toThrow(/data/);
    q.dispose();
  });

  it('measures in inference mode by default: dropout off unless training is asked for', async () => {
    // L = 0.5 sum a_i dropout(w)_i^2 with a fixed-seed mask m (scale s): H = diag(a) in inference
    // mode and diag(a m s^2) in training mode. The mask is fixed, so finite differences are valid.
    const a = [5, 4, 3, 2, 1, 0.5, 6, 0.1];
    const rate = 0.5;
    const w = tf.variable(tf.ones([8]));
    const aT = tf.tensor1d(a);
    const objective: Objective = {
      params: [w],
      loss: (_b, training) =>
        tf.tidy(
          () =>
            tf.mul(
              0.5,
              tf.sum(tf.mul(aT, tf.square(dropout(w, { rate, seed: 3, training })))),
            ) as tf.Scalar,
        ),
    };
    const mask = Array.from(dropout(tf.ones([8]), { rate, seed: 3 }).dataSync());
    const trainingTop = Math.max(...a.map((ai, i) => ai * (mask[i] as number) ** 2));
    expect(Math.abs(trainingTop - 6)).toBeGreaterThan(0.5); // the mask matters for this seed
    const off = await hessianTopEigenvalue(objective, noData(), { tolerance: 1e-6 });
    const on = await hessianTopEigenvalue(objective, noData(), { training: true, tolerance: 1e-6 });
    expectClose(off.value, 6, { rtol: 1e-3 });
    expectClose(on.value, trainingTop, { rtol: 1e-3 });
    w.dispose();
    aT.dispose();
  });
});

/** Softmax regression z = xW + b with cross-entropy: its Hessian in float64, params (W, b). */
function softmaxRegressionHessian(x: number[][], wFlat: number[], bias: number[]): number[][] {
  const d = (x[0] as number[]).length;
  const c = bias.length;
  const n = d * c + c;
  const h = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let e = 0; e < x.length; e++) {
    const xe = x[e] as number[];
    const z = Array.from({ length: c }, (_, k) =>
      xe.reduce((s, xi, i) => s + xi * (wFlat[i * c + k] as number), bias[k] as number),
    );
    const m = Math.max(...z);
    const ex = z.map((v) => Math.exp(v - m));
    const tot = ex.reduce((s, v) => s + v, 0);
    const p = ex.map((v) => v / tot);
    // d z_k / d theta: W_ik -> x_i (for output k), b_k -> 1.
    const jac = (k: number) => {
      const row = new Array<number>(n).fill(0);
      for (let i = 0; i < d; i++) row[i * c + k] = xe[i] as number;
      row[d * c + k] = 1;
      return row;
    };
    for (let k = 0; k < c; k++) {
      for (let l = 0; l < c; l++) {
        const s =
          ((k === l ? (p[k] as number) : 0) - (p[k] as number) * (p[l] as number)) / x.length;
        if (s === 0) continue;
        const jk = jac(k);
        const jl = jac(l);
        for (let i = 0; i < n; i++) {
          if (jk[i] === 0) continue;
          for (let j = 0; j < n; j++)
            (h[i] as number[])[j] =
              (h[i]?.[j] as number) + s * (jk[i] as number) * (jl[j] as number);
        }
      }
    }
  }
  return h;
}

describeWithBackends('Hessian-vector products: exact or finite differences', ({ it }) => {
  it('auto falls back to finite differences when double backprop is silently wrong', async () => {
    // A customGrad whose backward pass reads the weights through a copy: its gradient is right,
    // its second derivative through the tape is 0 instead of diag(a).
    const a = [3, 1, 2];
    const aT = tf.tensor1d(a);
    const w = tf.variable(tf.tensor1d([1, -1, 0.5]));
    const f = tf.customGrad((x) => {
      const t = x as tf.Tensor;
      return {
        value: tf.mul(0.5, tf.sum(tf.mul(aT, tf.square(t)))),
        gradFunc: (dy: tf.Tensor) =>
          tf.mul(dy, tf.add(tf.mul(aT, tf.tensor(t.dataSync())), tf.mul(t, 0))),
      };
    });
    const objective: Objective = { params: [w], loss: () => f(w) as tf.Scalar };
    const exact = await hessianTopEigenvalue(objective, noData(), { method: 'exact' });
    expect(Math.abs(exact.value)).toBeLessThan(1e-6); // what double backprop gives here
    const data = noData();
    const auto = await expectNoLeaks(() => hessianTopEigenvalue(objective, data));
    expect(auto).toMatchObject({ method: 'finite-difference', check: 'exact-disagreed' });
    expectClose(auto.value, 3, { rtol: 1e-3 });
    const trace = await hessianTrace(objective, noData());
    expect(trace.method).toBe('finite-difference');
    expectClose(trace.value, 6, { rtol: 1e-3 });
    w.dispose();
    aT.dispose();
  });

  it('auto says inconclusive, and keeps exact, when finite differences are unstable on every example', async () => {
    // L = sum |w| at w = 0: autograd's Hessian is 0; a central difference across the kink gives
    // 1/h, and 8/h at h/8, so neither confirms nor refutes it.
    const w = tf.variable(tf.zeros([3]), true, 'kinkW');
    const objective: Objective = { params: [w], loss: () => tf.sum(tf.abs(w)) as tf.Scalar };
    const data = noData();
    const r = await expectNoLeaks(() => hessianTopEigenvalue(objective, data));
    expect(r).toMatchObject({ method: 'exact', check: 'inconclusive', value: 0 });
    tf.dispose([w, data.xs as tf.Tensor, data.ys as tf.Tensor]);
  });

  it('auto falls back when an op has no second derivative (tfjs-layers categorical cross-entropy)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 3,
          inputShape: [3],
          activation: 'softmax',
          kernelInitializer: 'glorotNormal',
        }),
      ],
    });
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const next = lcg(17);
    const xRows = Array.from({ length: 8 }, () => Array.from({ length: 3 }, next));
    const labels = Array.from({ length: 8 }, (_, i) => i % 3);
    const batch = {
      xs: tf.tensor2d(xRows),
      ys: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32'),
    };
    // Forced exact throws, and leaves no tensor of the failed tape behind.
    await expectNoLeaks(() =>
      expect(hessianTopEigenvalue(model, batch, { method: 'exact' })).rejects.toThrow(),
    );
    const weights = model.getWeights();
    const expected = eigenvaluesOf(
      softmaxRegressionHessian(
        xRows,
        Array.from(weights[0]?.dataSync() ?? []),
        Array.from(weights[1]?.dataSync() ?? []),
      ),
    );
    const before = bitsOf(weights);
    const r = await expectNoLeaks(() => hessianTopEigenvalue(model, batch, { tolerance: 1e-5 }));
    expect(r).toMatchObject({ method: 'finite-difference', check: 'exact-failed' });
    // Finite differences in float32: the step's rounding error bounds the agreement.
    expectClose(r.value, expected[0] as number, { rtol: 1e-2 });
    expect(bitsOf(model.getWeights())).toEqual(before);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('a softmax-regression Hessian through tf.losses.softmaxCrossEntropy matches the float64 one', async () => {
    const next = lcg(29);
    const d = 3;
    const c = 4;
    const xRows = Array.from({ length: 10 }, () => Array.from({ length: d }, next));
    const labels = Array.from({ length: 10 }, (_, i) => (i * 7) % c);
    const wFlat = Array.from({ length: d * c }, next);
    const bias = Array.from({ length: c }, next);
    const W = tf.variable(tf.tensor2d(wFlat, [d, c]), true, 'smW');
    const b = tf.variable(tf.tensor1d(bias), true, 'smB');
    const xs = tf.tensor2d(xRows);
    const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32');
    const objective: Objective = {
      params: [W, b],
      loss: (batch) =>
        tf.tidy(
          () =>
            tf.losses.softmaxCrossEntropy(
              batch.ys as tf.Tensor,
              tf.add(tf.matMul(batch.xs as tf.Tensor, W), b),
            ) as tf.Scalar,
        ),
    };
    const expected = eigenvaluesOf(softmaxRegressionHessian(xRows, wFlat, bias));
    const r = await hessianTopEigenvalue(objective, { xs, ys }, { tolerance: 1e-6 });
    expectClose(r.value, expected[0] as number, { rtol: 1e-2 });
    const t = await hessianTrace(objective, { xs, ys }, { maxIterations: 300, tolerance: 1e-12 });
    const trueTrace = expected.reduce((s, v) => s + v, 0);
    expect(Math.abs(t.value - trueTrace)).toBeLessThan(5 * t.standardError + 1e-3 * trueTrace);
    tf.dispose([W, b, xs, ys]);
  });

  it('exact double backprop through ops that reuse their output (logSoftmax) matches the float64 Hessian', async () => {
    // tfjs records the clone of a saved output before the op that makes it; without reordering
    // the tape, these second-derivative terms are silently dropped.
    const next = lcg(41);
    const d = 3;
    const c = 4;
    const xRows = Array.from({ length: 12 }, () => Array.from({ length: d }, next));
    const labels = Array.from({ length: 12 }, (_, i) => (i * 5) % c);
    const wFlat = Array.from({ length: d * c }, next);
    const bias = Array.from({ length: c }, next);
    const W = tf.variable(tf.tensor2d(wFlat, [d, c]), true, 'lsW');
    const b = tf.variable(tf.tensor1d(bias), true, 'lsB');
    const xs = tf.tensor2d(xRows);
    const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32');
    const objective: Objective = {
      params: [W, b],
      loss: (batch) =>
        tf.tidy(() => {
          const z = tf.add(tf.matMul(batch.xs as tf.Tensor, W), b);
          return tf.neg(
            tf.mean(tf.sum(tf.mul(batch.ys as tf.Tensor, tf.logSoftmax(z)), -1)),
          ) as tf.Scalar;
        }),
    };
    const expected = eigenvaluesOf(softmaxRegressionHessian(xRows, wFlat, bias));
    const r = await expectNoLeaks(() =>
      hessianTopEigenvalue(objective, { xs, ys }, { method: 'exact', tolerance: 1e-7 }),
    );
    expectClose(r.value, expected[0] as number, { rtol: 1e-3 });
    const t = await hessianTrace(
      objective,
      { xs, ys },
      { method: 'exact', maxIterations: 400, tolerance: 1e-12 },
    );
    const trueTrace = expected.reduce((s, v) => s + v, 0);
    expect(Math.abs(t.value - trueTrace)).toBeLessThan(5 * t.standardError + 1e-4);
    const auto = await hessianTopEigenvalue(objective, { xs, ys });
    expect(auto).toMatchObject({ method: 'exact', check: 'agreed' });
    tf.dispose([W, b, xs, ys]);
  });

  it('a ReLU softmax classifier: exact with crossEntropyFromProbabilities, verified on single examples', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 32, inputShape: [20], activation: 'relu' }),
        tfl.layers.dense({ units: 5, activation: 'softmax' }),
      ],
    });
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'sgd' });
    const labels = Array.from({ length: 64 }, (_, i) => (i * 3) % 5);
    const batch = {
      xs: tf.randomNormal([64, 20], 0, 1, 'float32', 9),
      ys: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 5), 'float32'),
    };
    const objective = objectiveFromModel(model, { loss: crossEntropyFromProbabilities });
    // The same loss as the compiled one (which clips instead of adding epsilon).
    const compiled = objectiveFromModel(model);
    expectClose(
      tf.tidy(() => objective.loss(batch, false).dataSync()[0] as number),
      tf.tidy(() => compiled.loss(batch, false).dataSync()[0] as number),
      { rtol: 1e-5 },
    );
    const auto = await expectNoLeaks(() =>
      hessianTopEigenvalue(objective, batch, { tolerance: 1e-5 }),
    );
    expect(auto).toMatchObject({ method: 'exact', check: 'agreed', converged: true });
    const exact = await hessianTopEigenvalue(objective, batch, {
      method: 'exact',
      tolerance: 1e-5,
    });
    expect(auto.value).toBe(exact.value);
    expect(exact.value).toBeGreaterThan(0);
    // The compiled loss has no second derivative in tfjs-layers: auto says so.
    const viaCompiled = await hessianTopEigenvalue(compiled, batch, { maxIterations: 2 });
    expect(viaCompiled.check).toBe('exact-failed');
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('exact and finite-difference products agree on a smooth tfjs-layers model (mean squared error, tanh)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    const batch = {
      xs: tf.randomNormal([16, 4], 0, 1, 'float32', 1),
      ys: tf.randomNormal([16, 2], 0, 1, 'float32', 2),
    };
    const exact = await hessianTopEigenvalue(model, batch, { method: 'exact', tolerance: 1e-5 });
    const fd = await hessianTopEigenvalue(model, batch, {
      method: 'finite-difference',
      tolerance: 1e-5,
    });
    const auto = await hessianTopEigenvalue(model, batch);
    expect(auto.method).toBe('exact');
    expectClose(fd.value, exact.value, { rtol: 1e-2 });
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });
});

describeWithBackends('hessianTrace', ({ it }) => {
  it('is exact for a diagonal Hessian: every Rademacher sample equals the trace', async () => {
    const diag = [3, 1.5, 0.25, 2, 7, 0.125];
    const a = diag.map((v, i) => diag.map((_, j) => (i === j ? v : 0)));
    const q = quadratic(a, new Array(6).fill(0.5), SHAPES);
    const before = bitsOf(q.params);
    const data = noData();
    const r = await expectNoLeaks(() => hessianTrace(q.objective, data));
    expect(Math.abs(r.value - 13.875) / 13.875).toBeLessThan(1e-3);
    expect(r.standardError).toBeLessThan(1e-4);
    expect(r).toMatchObject({ iterations: 2, converged: true });
    expect(bitsOf(q.params)).toEqual(before);
    q.dispose();
  });

  it('is within 1e-3 relative for a nearly diagonal Hessian with the default settings', async () => {
    const next = lcg(8);
    const sym = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
    for (let i = 0; i < 6; i++) {
      (sym[i] as number[])[i] = 2 + i;
      for (let j = 0; j < i; j++) {
        const v = 1e-3 * next();
        (sym[i] as number[])[j] = v;
        (sym[j] as number[])[i] = v;
      }
    }
    const truth = sym.reduce((s, row, i) => s + (row[i] as number), 0);
    const q = quadratic(sym, new Array(6).fill(1), SHAPES);
    for (const method of ['exact', 'finite-difference'] as const) {
      const r = await hessianTrace(q.objective, noData(), { method });
      expect(Math.abs(r.value - truth) / truth).toBeLessThan(1e-3);
    }
    q.dispose();
  });

  it('is unbiased with the Rademacher variance 2 sum_{i != j} A_ij^2 on a dense Hessian', async () => {
    const a = symmetricWithEigenvalues(EIGS, 4);
    const truth = EIGS.reduce((s, v) => s + v, 0);
    let offSq = 0;
    let allSq = 0;
    a.forEach((row, i) => {
      row.forEach((v, j) => {
        allSq += v * v;
        if (i !== j) offSq += v * v;
      });
    });
    const q = quadratic(a, new Array(6).fill(1), SHAPES);
    const n = 400;
    const r = await hessianTrace(q.objective, noData(), {
      maxIterations: n,
      tolerance: 1e-15,
      seed: 99,
    });
    expect(r).toMatchObject({ iterations: n, converged: false });
    const sigma = Math.sqrt(2 * offSq);
    expect(Math.abs(r.value - truth)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    const sampleSd = r.standardError * Math.sqrt(n);
    // The sample sd of 400 draws is within ~15% of sigma; Gaussian probes would give sqrt(2 sum A^2).
    expect(sampleSd / sigma).toBeGreaterThan(0.8);
    expect(sampleSd / sigma).toBeLessThan(1.2);
    expect(Math.sqrt(2 * allSq) / sigma).toBeGreaterThan(1.4);
    q.dispose();
  });

  it('depends on the seed, reproducibly', async () => {
    const a = symmetricWithEigenvalues(EIGS, 4);
    const q = quadratic(a, new Array(6).fill(1), SHAPES);
    const opts = { maxIterations: 5, tolerance: 1e-15 };
    const r1 = await hessianTrace(q.objective, noData(), { ...opts, seed: 1 });
    const r2 = await hessianTrace(q.objective, noData(), { ...opts, seed: 1 });
    const r3 = await hessianTrace(q.objective, noData(), { ...opts, seed: 2 });
    expect(r2.value).toBe(r1.value);
    expect(r3.value).not.toBe(r1.value);
    q.dispose();
  });
});

describeWithBackends('sharpness', ({ it }) => {
  const eigs = [4, 2, 1, 0.5, 0.25, 0.1];
  const seed = 31;

  it('matches the analytic maximum over the relative ball (trust-region solution)', async () => {
    const a = symmetricWithEigenvalues(eigs, seed);
    const q0 = orthogonal(6, seed);
    const w0 = Array.from({ length: 6 }, lcg(5));
    const g = matVec(a, w0);
    const epsilon = 0.1;
    const r = Math.sqrt(dot(w0, w0)) * epsilon;
    const analytic = trustRegionMax(eigs, q0, g, r);
    const q = quadratic(a, w0, SHAPES);
    const before = bitsOf(q.params);
    const data = noData();
    const res = await expectNoLeaks(() => sharpness(q.objective, data, { epsilon, steps: 100 }));
    expectClose(res.radius, r, { rtol: 1e-6 });
    expect(Math.abs(res.value - analytic) / analytic).toBeLessThan(1e-3);
    expectClose(res.lossAtCenter, 0.5 * dot(w0, g), { rtol: 1e-5 });
    expectClose(res.normalized, res.value / (1 + res.lossAtCenter), { rtol: 1e-12 });
    expectClose(res.maxLoss, res.lossAtCenter + res.value, { rtol: 1e-12 });
    expect(bitsOf(q.params)).toEqual(before);
    // A few steps: a lower bound of the maximum, at least the first-order step's increase.
    const few = await sharpness(q.objective, noData(), { epsilon, steps: 2 });
    const d1 = g.map((v) => (v * r) / Math.sqrt(dot(g, g)));
    const firstOrder = dot(g, d1) + 0.5 * dot(d1, matVec(a, d1));
    expect(few.value).toBeLessThanOrEqual(analytic * (1 + 1e-4));
    expect(few.value).toBeGreaterThanOrEqual(firstOrder * (1 - 1e-4));
    q.dispose();
  });

  it('at a minimum (zero gradient) climbs from a random direction to 0.5 lambda_max r^2', async () => {
    const a = symmetricWithEigenvalues(eigs, seed);
    const q = quadratic(a, new Array(6).fill(0), SHAPES);
    const res = await sharpness(q.objective, noData(), { radius: 0.2, steps: 100 });
    expect(Math.abs(res.value - 0.5 * 4 * 0.04) / (0.5 * 4 * 0.04)).toBeLessThan(1e-3);
    // A relative ball around w = 0 is a point.
    const none = await sharpness(q.objective, noData());
    expect(none).toMatchObject({ value: 0, radius: 0, steps: 0 });
    q.dispose();
  });

  it('rejects bad options', async () => {
    const q = quadratic([[1]], [1], [[1]]);
    await expect(sharpness(q.objective, noData(), { steps: 0 })).rejects.toThrow(/steps/);
    await expect(sharpness(q.objective, noData(), { radius: -1 })).rejects.toThrow(/radius/);
    await expect(sharpness(q.objective, noData(), { epsilon: Number.NaN })).rejects.toThrow(
      /epsilon/,
    );
    q.dispose();
  });
});
