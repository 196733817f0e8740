import { assertFinite, assertInteger, InvalidArgumentError } from '@dropkit/core';
import { Dataset } from '../Dataset.js';
import { assertSeed, SeededRandom, STREAM_TAGS, streamOf } from '../SeededRandom.js';
import { assertNonNegative } from './checks.js';

/** Options of {@link gaussianBlobs}. */
export interface GaussianBlobsOptions {
  /** The number of points, an integer >= 1; example i belongs to blob i mod k. */
  readonly n: number;
  /**
   * The blob centres: a count k (drawn uniform in `centerBox` per coordinate from the parameters
   * stream of `seed`) or the centres themselves, k arrays of `dim` numbers. Default 3.
   */
  readonly centers?: number | readonly (readonly number[])[];
  /** The dimension, an integer >= 1. Default 2, or the length of the given centres. */
  readonly dim?: number;
  /** The standard deviation of every blob, or one per blob. Default 1. */
  readonly std?: number | readonly number[];
  /** The box random centres are drawn in, per coordinate. Default [-10, 10] (scikit-learn's). */
  readonly centerBox?: readonly [number, number];
  /** An integer in [0, 2^53). Default 0. */
  readonly seed?: number;
}

/**
 * The blob centres {@link gaussianBlobs} uses for these options: the given ones, or k points
 * uniform in `centerBox^dim` drawn from the parameters stream of `seed` (centre after centre,
 * coordinate after coordinate), independent of `n`.
 *
 * @param options - the options of {@link gaussianBlobs} (`n` is not needed).
 * @returns k arrays of `dim` numbers.
 * @throws InvalidArgumentError for bad centres, dimension, box or seed.
 * @example
 * ```ts
 * import { gaussianBlobCenters } from '@dropkit/datasets';
 * const c = gaussianBlobCenters({ centers: 4, dim: 3, seed: 2 });
 * console.log(c.length, c[0]?.length); // 4 3
 * ```
 */
export function gaussianBlobCenters(options: Omit<GaussianBlobsOptions, 'n'>): number[][] {
  const spec = options.centers ?? 3;
  if (typeof spec === 'number') {
    const k = assertInteger('centers', spec, { min: 1 });
    const dim = assertInteger('dim', options.dim ?? 2, { min: 1 });
    const [lo, hi] = options.centerBox ?? [-10, 10];
    assertFinite('centerBox[0]', lo);
    assertFinite('centerBox[1]', hi);
    if (!(hi > lo)) {
      throw new InvalidArgumentError('centerBox', options.centerBox, '[low, high] with low < high');
    }
    const rng = new SeededRandom(
      assertSeed('seed', options.seed ?? 0),
      streamOf(STREAM_TAGS.parameters),
    );
    return Array.from({ length: k }, () =>
      Array.from({ length: dim }, () => lo + (hi - lo) * rng.nextFloat()),
    );
  }
  if (!Array.isArray(spec) || spec.length === 0) {
    throw new InvalidArgumentError(
      'centers',
      spec,
      'an integer >= 1 or a non-empty array of points',
    );
  }
  const dim = options.dim ?? (spec[0] as readonly number[]).length;
  assertInteger('dim', dim, { min: 1 });
  return spec.map((c, i) => {
    if (!Array.isArray(c) || c.length !== dim) {
      throw new InvalidArgumentError(`centers[${i}]`, c, `an array of ${dim} finite numbers`);
    }
    return c.map((v, j) => assertFinite(`centers[${i}][${j}]`, v));
  });
}

/**
 * Isotropic Gaussian blobs, seeded (as scikit-learn's `make_blobs`, with a balanced, interleaved
 * assignment): example i belongs to blob `c = i mod k` and is `center[c] + std[c] * z`, z a
 * standard normal vector from the inputs stream of `seed`.
 *
 * @param options - {@link GaussianBlobsOptions}.
 * @returns a classification dataset, `featureShape` `[dim]`, k classes.
 * @throws InvalidArgumentError for bad counts, centres, standard deviations or seed.
 * @example
 * ```ts
 * import { gaussianBlobs } from '@dropkit/datasets';
 * const ds = gaussianBlobs({ n: 300, centers: [[0, 0], [5, 5], [0, 5]], std: 0.5, seed: 3 });
 * console.log(ds.numClasses, ds.classCounts()); // 3 [ 100, 100, 100 ]
 * ```
 */
export function gaussianBlobs(options: GaussianBlobsOptions): Dataset {
  const n = assertInteger('n', options.n, { min: 1 });
  const centers = gaussianBlobCenters(options);
  const k = centers.length;
  const dim = (centers[0] as number[]).length;
  const stdSpec = options.std ?? 1;
  let stds: number[];
  if (typeof stdSpec === 'number') {
    stds = new Array<number>(k).fill(assertNonNegative('std', stdSpec));
  } else {
    if (!Array.isArray(stdSpec) || stdSpec.length !== k) {
      throw new InvalidArgumentError('std', stdSpec, `a number or an array of ${k} numbers >= 0`);
    }
    stds = stdSpec.map((s, i) => assertNonNegative(`std[${i}]`, s));
  }
  const rng = new SeededRandom(assertSeed('seed', options.seed ?? 0), streamOf(STREAM_TAGS.inputs));
  const features = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const center = centers[c] as number[];
    const s = stds[c] as number;
    for (let j = 0; j < dim; j++)
      features[i * dim + j] = (center[j] as number) + s * rng.nextNormal();
    labels[i] = c;
  }
  return new Dataset({
    features,
    featureShape: [dim],
    labels,
    numClasses: k,
    name: 'gaussianBlobs',
  });
}
