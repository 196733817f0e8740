import { assertFinite, assertInteger, InvalidArgumentError } from '@dropkit/core';
import { Dataset } from '../Dataset.js';
import { assertSeed, SeededRandom, STREAM_TAGS, streamOf } from '../SeededRandom.js';
import { assertNonNegative } from './checks.js';

/** Options of {@link twoSpirals}. */
export interface TwoSpiralsOptions {
  /** The number of points, an integer >= 1; example i has class i mod 2. */
  readonly n: number;
  /** The standard deviation of the Gaussian noise added to each coordinate. Default 0. */
  readonly noise?: number;
  /** How many turns each arm makes, a finite number > 0. Default 1.5. */
  readonly turns?: number;
  /** An integer in [0, 2^53). Default 0. */
  readonly seed?: number;
}

/**
 * The two-spirals classification problem (Lang and Witbrock 1988), seeded. Example i draws
 * `u` uniform in [0, 1) (the inputs stream of `seed`), sets `t = sqrt(u)` (about uniform along
 * the arm), angle `theta = 2 pi turns t` and radius `t`, and lies at
 * `s (t cos theta, t sin theta)` with `s = +1` for class 0 (even i) and `-1` for class 1 (odd i),
 * the second arm being the first turned by pi. Then `noise * N(0, 1)` from the noise stream is
 * added to each coordinate, so one seed gives the same clean points at any noise level.
 *
 * @param options - {@link TwoSpiralsOptions}.
 * @returns a classification dataset, `featureShape` `[2]`, 2 classes.
 * @throws InvalidArgumentError for a bad `n`, `noise`, `turns` or `seed`.
 * @example
 * ```ts
 * import { twoSpirals } from '@dropkit/datasets';
 * const ds = twoSpirals({ n: 200, noise: 0.05, seed: 1 });
 * console.log(ds.size, ds.featureShape, ds.classCounts()); // 200 [ 2 ] [ 100, 100 ]
 * ```
 */
export function twoSpirals(options: TwoSpiralsOptions): Dataset {
  const n = assertInteger('n', options.n, { min: 1 });
  const noise = assertNonNegative('noise', options.noise ?? 0);
  const turns = assertFinite('turns', options.turns ?? 1.5);
  if (turns <= 0) throw new InvalidArgumentError('turns', turns, 'a finite number > 0');
  const seed = assertSeed('seed', options.seed ?? 0);
  const positions = new SeededRandom(seed, streamOf(STREAM_TAGS.inputs));
  const noiseRng = new SeededRandom(seed, streamOf(STREAM_TAGS.noise));
  const features = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = Math.sqrt(positions.nextFloat());
    const theta = 2 * Math.PI * turns * t;
    const s = i % 2 === 0 ? 1 : -1;
    features[2 * i] = s * t * Math.cos(theta) + noise * noiseRng.nextNormal();
    features[2 * i + 1] = s * t * Math.sin(theta) + noise * noiseRng.nextNormal();
    labels[i] = i % 2;
  }
  return new Dataset({
    features,
    featureShape: [2],
    labels,
    numClasses: 2,
    name: 'twoSpirals',
  });
}
