import { assertFinite, assertInteger, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { Dataset } from '../Dataset.js';
import { assertSeed, SeededRandom, STREAM_TAGS, streamOf } from '../SeededRandom.js';
import { assertNonNegative } from './checks.js';

/** The named 1-D targets of {@link condensation1d}. */
export type Target1dName = 'sin' | 'sinSum' | 'abs';

/** Options of {@link condensation1d}. */
export interface Condensation1dOptions {
  /**
   * The target: `'sin'` = sin(pi x), `'sinSum'` = (sin(pi x) + sin(3 pi x)) / 2 (two frequencies),
   * `'abs'` = |x| (piecewise linear, one kink), or any function of x returning a finite number.
   * Default `'sin'`.
   */
  readonly target?: Target1dName | ((x: number) => number);
  /** The number of training points, an integer >= 1. Default 8. */
  readonly n?: number;
  /** The input interval [a, b], a < b. Default [-1, 1]. */
  readonly interval?: readonly [number, number];
  /**
   * `'grid'`: evenly spaced, both ends included (the midpoint when n = 1); `'uniform'`: drawn
   * uniform in [a, b) from the inputs stream of `seed`, then sorted. Default `'grid'`.
   */
  readonly sampling?: 'grid' | 'uniform';
  /** The standard deviation of Gaussian noise added to training targets. Default 0. */
  readonly noise?: number;
  /** An integer in [0, 2^53). Default 0. */
  readonly seed?: number;
  /** The number of evenly spaced, noise-free test points over [a, b]. Default 201. */
  readonly testPoints?: number;
}

/** The result of {@link condensation1d}. */
export interface Condensation1dSets {
  /** The few training points, `featureShape` `[1]`, `labelShape` `[1]`. */
  readonly train: Dataset;
  /** A dense grid with the noise-free target, to measure and plot the fitted function. */
  readonly test: Dataset;
}

const TARGETS: Readonly<Record<Target1dName, (x: number) => number>> = {
  sin: (x) => Math.sin(Math.PI * x),
  sinSum: (x) => (Math.sin(Math.PI * x) + Math.sin(3 * Math.PI * x)) / 2,
  abs: (x) => Math.abs(x),
};

function grid(n: number, a: number, b: number): Float64Array {
  if (n === 1) return Float64Array.of((a + b) / 2);
  return Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/**
 * The 1-D fitting problems of the condensation experiments of Zhang and Xu, "Implicit
 * regularization of dropout" (arXiv 2207.05952): a few points of a 1-D target, fitted by a small
 * two-layer network, whose hidden neurons' input weights (w_j, b_j) condense onto a few
 * orientations when trained with dropout. The paper's exact targets and points could not be
 * checked here, so the presets are this package's choice in that spirit: a smooth target, a
 * two-frequency one and a piecewise-linear one on [-1, 1], evenly spaced points. The test set is
 * a dense noise-free grid for the fitted curve.
 *
 * @param options - {@link Condensation1dOptions}.
 * @returns {@link Condensation1dSets}: regression sets with `featureShape` `[1]` and
 *   `labelShape` `[1]`.
 * @throws InvalidArgumentError for bad options, or a target function that returns a non-finite
 *   value.
 * @example
 * ```ts
 * import { condensation1d } from '@dropkit/datasets';
 * const { train, test } = condensation1d({ target: 'abs', n: 5 });
 * console.log(train.features, train.labels); // Float32Array(5) [ -1, -0.5, 0, 0.5, 1 ] Float32Array(5) [ 1, 0.5, 0, 0.5, 1 ]
 * console.log(test.size); // 201
 * ```
 */
export function condensation1d(options: Condensation1dOptions = {}): Condensation1dSets {
  const spec = options.target ?? 'sin';
  const f =
    typeof spec === 'function'
      ? spec
      : TARGETS[assertOneOf('target', spec, ['sin', 'sinSum', 'abs'] as const)];
  const n = assertInteger('n', options.n ?? 8, { min: 1 });
  const [a, b] = options.interval ?? [-1, 1];
  assertFinite('interval[0]', a);
  assertFinite('interval[1]', b);
  if (!(b > a)) throw new InvalidArgumentError('interval', options.interval, '[a, b] with a < b');
  const sampling = assertOneOf('sampling', options.sampling ?? 'grid', [
    'grid',
    'uniform',
  ] as const);
  const noise = assertNonNegative('noise', options.noise ?? 0);
  const seed = assertSeed('seed', options.seed ?? 0);
  const testPoints = assertInteger('testPoints', options.testPoints ?? 201, { min: 1 });
  let xs: Float64Array;
  if (sampling === 'grid') {
    xs = grid(n, a, b);
  } else {
    const rng = new SeededRandom(seed, streamOf(STREAM_TAGS.inputs));
    xs = Float64Array.from({ length: n }, () => a + (b - a) * rng.nextFloat()).sort();
  }
  const noiseRng = new SeededRandom(seed, streamOf(STREAM_TAGS.noise));
  const evaluate = (x: number): number => {
    const y = f(x);
    if (typeof y !== 'number' || !Number.isFinite(y)) {
      throw new InvalidArgumentError(`target(${x})`, y, 'a finite number');
    }
    return y;
  };
  const make = (points: Float64Array, withNoise: boolean, name: string) =>
    new Dataset({
      features: Float32Array.from(points),
      featureShape: [1],
      labels: Float32Array.from(
        points,
        (x) => evaluate(Math.fround(x)) + (withNoise ? noise * noiseRng.nextNormal() : 0),
      ),
      labelShape: [1],
      name,
    });
  return {
    train: make(xs, true, 'condensation1d/train'),
    test: make(grid(testPoints, a, b), false, 'condensation1d/test'),
  };
}
