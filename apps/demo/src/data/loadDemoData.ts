import { InvalidArgumentError } from '@dropkit/core';
import {
  type Dataset,
  gaussianBlobCenters,
  gaussianBlobs,
  normalize,
  twoSpirals,
} from '@dropkit/datasets';
import { DATASET_NAMES, type DatasetName } from '../training/runConfig.ts';
import { MNIST_SUBSET_FILE, parseMnistSubset } from './mnistSubset.ts';

/** A demo data set, ready to batch: features normalized, one train and one test part. */
export interface DemoData {
  readonly name: DatasetName;
  readonly train: Dataset;
  readonly test: Dataset;
  /** The shape of one example: `[28, 28, 1]` for MNIST, `[2]` for the synthetic sets. */
  readonly featureShape: readonly number[];
  readonly numClasses: number;
  /** Whether examples are images (the ViT and the CNN need them). */
  readonly images: boolean;
}

/** Where {@link loadDemoData} gets the MNIST subset's bytes. */
export interface LoadDemoDataOptions {
  /**
   * Returns the bytes of `mnist-subset.bin`: a `fetch` in the browser, a file read in Node. Only
   * called for `mnist`.
   */
  readonly mnistBytes?: () => Promise<Uint8Array | ArrayBuffer>;
  /** A name for error messages about the MNIST file (its URL or path). */
  readonly mnistSource?: string;
}

// The synthetic sets are the same in every run, whatever the run's seed, so that runs differ
// only in what the seed controls (weights, masks, batch order) and compare fairly.
const SPIRALS = { train: 2000, test: 1000, noise: 0.08, turns: 1.75, seed: 11 } as const;
const BLOBS = { train: 2000, test: 1000, centers: 4, std: 2.5, seed: 12 } as const;

/**
 * Loads one of the demo's data sets: the embedded MNIST subset (4,000 + 1,000 images, pixels
 * scaled to [0, 1]), two spirals (2,000 + 1,000 points, noise 0.08, 1.75 turns), or four
 * overlapping Gaussian blobs in the plane (2,000 + 1,000 points, standardized with the train
 * statistics). The synthetic sets have fixed seeds: one data set for every run.
 *
 * @param name - `mnist`, `spirals` or `blobs`.
 * @param options - {@link LoadDemoDataOptions}; `mnistBytes` is needed for `mnist`.
 * @returns the train and test sets with their shapes.
 * @throws InvalidArgumentError for an unknown name or `mnist` without `mnistBytes`;
 *   DataFormatError for a damaged MNIST file.
 * @example
 * ```ts
 * import { loadDemoData } from '@dropkit/demo/data';
 * const data = await loadDemoData('spirals');
 * console.log(data.train.size, data.test.size, data.featureShape, data.numClasses); // 2000 1000 [ 2 ] 2
 * ```
 */
export async function loadDemoData(
  name: DatasetName,
  options: LoadDemoDataOptions = {},
): Promise<DemoData> {
  if (!(DATASET_NAMES as readonly unknown[]).includes(name)) {
    throw new InvalidArgumentError(
      'dataset',
      name,
      `one of ${DATASET_NAMES.map((d) => `"${d}"`).join(', ')}`,
    );
  }
  switch (name) {
    case 'mnist': {
      if (options.mnistBytes === undefined) {
        throw new InvalidArgumentError(
          'mnistBytes',
          undefined,
          `a function returning the bytes of ${MNIST_SUBSET_FILE}`,
        );
      }
      const raw = await options.mnistBytes();
      const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
      const parts = parseMnistSubset(bytes, options.mnistSource ?? MNIST_SUBSET_FILE);
      const { train, test } = normalize(parts, { method: 'scale' });
      return { name, train, test, featureShape: [28, 28, 1], numClasses: 10, images: true };
    }
    case 'spirals': {
      const make = (n: number, seed: number) =>
        twoSpirals({ n, noise: SPIRALS.noise, turns: SPIRALS.turns, seed });
      return {
        name,
        train: make(SPIRALS.train, SPIRALS.seed),
        test: make(SPIRALS.test, SPIRALS.seed + 1000),
        featureShape: [2],
        numClasses: 2,
        images: false,
      };
    }
    case 'blobs': {
      // Train and test share the centres (drawn once from the seed's parameter stream) and
      // differ in their points.
      const centers = gaussianBlobCenters({ centers: BLOBS.centers, seed: BLOBS.seed });
      const make = (n: number, seed: number) => gaussianBlobs({ n, centers, std: BLOBS.std, seed });
      const train = make(BLOBS.train, BLOBS.seed);
      const test = make(BLOBS.test, BLOBS.seed + 1000);
      const scaled = normalize({ train, test }, { method: 'standard' });
      return {
        name,
        train: scaled.train,
        test: scaled.test,
        featureShape: [2],
        numClasses: BLOBS.centers,
        images: false,
      };
    }
  }
}
