import { assertFinite, assertInteger, InvalidArgumentError } from '@dropkit/core';
import { add, dispose, mul, type Tensor, tidy, zerosLike } from '@tensorflow/tfjs-core';
import type { ReplayableData } from './batchSource.js';
import { type DiagnosticsTarget, type Objective, toObjective } from './objective.js';
import {
  assertFiniteResult,
  copyValues,
  dataLoss,
  dataLossGradients,
  dotAll,
  preservingState,
  readAndDispose,
  restoreValues,
} from './parameterTools.js';
import { ProbeRandom } from './rng.js';

/** Options of {@link sharpness}. */
export interface SharpnessOptions {
  /** The ball's radius relative to the weight norm: r = epsilon * ||w||_2. Default 1e-3. */
  readonly epsilon?: number;
  /** An absolute radius instead (overrides `epsilon`), a number >= 0. */
  readonly radius?: number;
  /** Projected gradient-ascent steps, an integer >= 1. Default 10. */
  readonly steps?: number;
  /** Each step's length as a fraction of the radius. Default 1. */
  readonly stepSize?: number;
  /** Dropout on (true) or inference mode (false). Default false. */
  readonly training?: boolean;
  /** Seed of the random start used only where the gradient at the center is exactly zero. */
  readonly seed?: number;
}

/** What {@link sharpness} returns. */
export interface SharpnessReport {
  /** The largest loss increase found in the ball, max L(w + δ) - L(w) >= 0. */
  readonly value: number;
  /** `value / (1 + L(w))`, Keskar et al.'s normalization (they report it times 100). */
  readonly normalized: number;
  /** L(w), the loss at the current weights. */
  readonly lossAtCenter: number;
  /** The largest loss found, L(w) + value. */
  readonly maxLoss: number;
  /** The radius r of the ball ||δ||_2 <= r. */
  readonly radius: number;
  /** The number of ascent steps taken. */
  readonly steps: number;
}

async function ascend(
  objective: Objective,
  data: ReplayableData,
  saved: readonly Tensor[],
  radius: number,
  steps: number,
  stepSize: number,
  training: boolean,
  seed: number,
): Promise<{ center: number; best: number }> {
  const params = objective.params;
  let delta: Tensor[] = params.map((p) => zerosLike(p));
  const moveTo = (d: readonly Tensor[]) =>
    params.forEach((p, i) => {
      tidy(() => p.assign(add(saved[i] as Tensor, d[i] as Tensor)));
    });
  let center = 0;
  let best = -Infinity;
  try {
    for (let t = 0; t < steps; t++) {
      moveTo(delta);
      const { value, grads } = await dataLossGradients(objective, data, training, 'data');
      const [loss] = await readAndDispose(value);
      const l = assertFiniteResult('the loss', loss as number);
      if (t === 0) center = l;
      best = Math.max(best, l);
      let [g2] = await readAndDispose(dotAll(grads, grads));
      let direction = grads;
      if (!((g2 as number) > 0)) {
        dispose(grads);
        if (t > 0) break;
        // A stationary center: climb from a random direction instead.
        const rng = new ProbeRandom(seed);
        direction = params.map((p) => rng.normal(p.shape));
        [g2] = await readAndDispose(dotAll(direction, direction));
      }
      const scale = (stepSize * radius) / Math.sqrt(g2 as number);
      const stepped = tidy(() => direction.map((g, i) => add(delta[i] as Tensor, mul(g, scale))));
      dispose([...direction, ...delta]);
      const [n2] = await readAndDispose(dotAll(stepped, stepped));
      const n = Math.sqrt(n2 as number);
      delta = n > radius ? tidy(() => stepped.map((d) => mul(d, radius / n))) : stepped;
      if (delta !== stepped) dispose(stepped);
    }
    moveTo(delta);
    best = Math.max(
      best,
      assertFiniteResult('the loss', await dataLoss(objective, data, training, 'data')),
    );
  } finally {
    dispose(delta);
  }
  return { center, best };
}

/**
 * Sharpness: the largest loss increase within an L2 ball around the weights, of radius relative
 * to the weight norm (r = epsilon ||w||_2), found by a few projected gradient-ascent steps
 * δ <- Proj(δ + stepSize r ∇L(w+δ) / ||∇L(w+δ)||) from δ = 0 (Keskar et al. 2017 maximize over a
 * box with L-BFGS-B; the ball and the normalized ascent are this package's choice). The best
 * loss over every visited point is reported, so the value never exceeds the true maximum and
 * grows with `steps`. Weights and state are restored bit for bit afterwards.
 *
 * @param target - an {@link Objective} or a compiled tfjs-layers model.
 * @param data - the batches the loss is taken over (read once per step).
 * @param options - {@link SharpnessOptions}.
 * @returns plain numbers; 0 when the radius is 0 (weights all zero).
 * @throws InvalidArgumentError for bad options or data; DropkitError for a non-finite loss.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sharpness } from '@dropkit/diagnostics';
 * const w = tf.variable(tf.tensor1d([1, 0]));
 * const a = tf.tensor1d([2, 1]);
 * // 0.5 w'Aw at w = (1, 0), A = diag(2, 1), radius 0.5: the max is at w = (1.5, 0)
 * const objective = { params: [w], loss: () => tf.mul(0.5, tf.sum(tf.mul(a, tf.square(w)))) };
 * const r = await sharpness(objective, { xs: tf.zeros([1, 1]), ys: tf.zeros([1]) }, { radius: 0.5 });
 * console.log(r.lossAtCenter, r.value.toFixed(4)); // 1 1.2500
 * ```
 */
export async function sharpness(
  target: DiagnosticsTarget,
  data: ReplayableData,
  options: SharpnessOptions = {},
): Promise<SharpnessReport> {
  const objective = toObjective(target);
  const steps = assertInteger('steps', options.steps ?? 10, { min: 1 });
  const stepSize = assertFinite('stepSize', options.stepSize ?? 1);
  if (!(stepSize > 0)) throw new InvalidArgumentError('stepSize', stepSize, 'a number > 0');
  const seed = assertInteger('seed', options.seed ?? 0, { min: 0, max: 2 ** 53 - 1 });
  const training = options.training ?? false;
  let radiusOption: number | undefined;
  if (options.radius !== undefined) {
    radiusOption = assertFinite('radius', options.radius);
    if (radiusOption < 0) throw new InvalidArgumentError('radius', radiusOption, 'a number >= 0');
  }
  const epsilon = assertFinite('epsilon', options.epsilon ?? 1e-3);
  if (epsilon < 0) throw new InvalidArgumentError('epsilon', epsilon, 'a number >= 0');
  return preservingState(objective, async () => {
    const saved = copyValues(objective.params);
    try {
      const [w2] = await readAndDispose(dotAll(saved, saved));
      const radius = radiusOption ?? epsilon * Math.sqrt(w2 as number);
      if (radius === 0) {
        const l = assertFiniteResult('the loss', await dataLoss(objective, data, training, 'data'));
        return { value: 0, normalized: 0, lossAtCenter: l, maxLoss: l, radius, steps: 0 };
      }
      const { center, best } = await ascend(
        objective,
        data,
        saved,
        radius,
        steps,
        stepSize,
        training,
        seed,
      );
      const value = Math.max(0, best - center);
      return {
        value,
        normalized: value / (1 + center),
        lossAtCenter: center,
        maxLoss: center + value,
        radius,
        steps,
      };
    } finally {
      restoreValues(objective.params, saved);
    }
  });
}
