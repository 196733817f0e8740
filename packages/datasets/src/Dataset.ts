import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import { BatchIterator, type BatchOptions } from './BatchIterator.js';
import {
  type FeatureArray,
  type FeatureTransform,
  gatherFeatures,
  gatherRows,
  identityOrder,
} from './gather.js';
import { permutation, STREAM_TAGS, streamOf } from './SeededRandom.js';

/**
 * What a {@link Dataset} is built from. Float32Array and Uint8Array features and Float32Array
 * targets are kept as given, not copied: do not mutate them afterwards.
 */
export interface DatasetInit {
  /**
   * The features of every example, row-major: `size * prod(featureShape)` values. A Float32Array
   * or a Uint8Array (images) is kept as is; any other array-like is copied to a Float32Array.
   */
  readonly features: FeatureArray | ArrayLike<number>;
  /** The shape of one example's features, e.g. `[28, 28, 1]` or `[4]`. */
  readonly featureShape: readonly number[];
  /**
   * Class indices in [0, numClasses) when `numClasses` is given (stored as Int32Array); otherwise
   * regression targets, `size * prod(labelShape)` finite values (stored as Float32Array).
   */
  readonly labels: ArrayLike<number>;
  /** The number of classes: makes this a classification set. */
  readonly numClasses?: number;
  /** The shape of one regression target. Default `[]` (a scalar); classification sets use `[]`. */
  readonly labelShape?: readonly number[];
  /** A per-element affine map applied when features are read (see `normalize`). */
  readonly transform?: FeatureTransform;
  /** A name for messages and logs. Default `"dataset"`. */
  readonly name?: string;
  /** Names of the classes, index order; length `numClasses`. */
  readonly classNames?: readonly string[];
  /** Names of the feature columns (tabular data); length `prod(featureShape)`. */
  readonly featureNames?: readonly string[];
}

/** Options of {@link Dataset.split}: fractions or counts of the three parts. */
export interface SplitOptions {
  /** Fraction or count of the training part. Default 0. */
  readonly train?: number;
  /** Fraction or count of the validation part. Default 0. */
  readonly val?: number;
  /** Fraction or count of the test part. Default 0. */
  readonly test?: number;
  /** Shuffle before cutting, with `permutation(size, seed, split stream)`. Default true. */
  readonly shuffle?: boolean;
  /** Seed of that shuffle, an integer in [0, 2^53). Default 0. */
  readonly seed?: number;
}

/** The three parts returned by {@link Dataset.split}; a part not asked for is empty. */
export interface DatasetSplits {
  readonly train: Dataset;
  readonly val: Dataset;
  readonly test: Dataset;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function checkShape(name: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new InvalidArgumentError(name, shape, 'an array of integers >= 1');
  }
  return shape.map((d, i) => assertInteger(`${name}[${i}]`, d, { min: 1 }));
}

/** Every field of a dataset, for the modules of this package that derive one from another. */
export interface DatasetFields {
  readonly name: string;
  readonly size: number;
  readonly featureShape: readonly number[];
  readonly featureSize: number;
  readonly features: FeatureArray;
  readonly transform: FeatureTransform | undefined;
  readonly labels: Int32Array | Float32Array;
  readonly labelShape: readonly number[];
  readonly labelSize: number;
  readonly numClasses: number | undefined;
  readonly classNames: readonly string[] | undefined;
  readonly featureNames: readonly string[] | undefined;
}

/**
 * Builds a dataset from fields already known to be consistent (slices, subsets and splits of a
 * valid dataset), skipping the O(size) validation of the public constructor.
 */
export function trustedDataset(fields: DatasetFields): Dataset {
  const ds = Object.create(Dataset.prototype) as Dataset;
  Object.assign(ds, fields);
  return Object.freeze(ds);
}

/**
 * An in-memory dataset: features and labels as typed arrays with shapes, immutable. It makes
 * tensors only when asked for a batch, so nothing leaks when an iteration stops early.
 *
 * @example
 * ```ts
 * import { Dataset } from '@dropkit/datasets';
 * const ds = new Dataset({ features: [0, 0, 0, 1, 1, 0, 1, 1], featureShape: [2], labels: [0, 1, 1, 0], numClasses: 2 });
 * console.log(ds.size, ds.featureShape, ds.numClasses, ds.task); // 4 [ 2 ] 2 classification
 * ```
 */
export class Dataset {
  /** A name for messages and logs. */
  readonly name!: string;
  /** The number of examples. */
  readonly size!: number;
  /** The shape of one example's features. */
  readonly featureShape!: readonly number[];
  /** `prod(featureShape)`: the number of feature values of one example. */
  readonly featureSize!: number;
  /** Raw feature storage, row-major, before {@link Dataset.transform}. Do not mutate. */
  readonly features!: FeatureArray;
  /** The affine map applied to raw features when they are read, if any. */
  readonly transform!: FeatureTransform | undefined;
  /** Class indices (Int32Array) or regression targets (Float32Array), row-major. Do not mutate. */
  readonly labels!: Int32Array | Float32Array;
  /** The shape of one label: `[]` for class indices and scalar targets. */
  readonly labelShape!: readonly number[];
  /** `prod(labelShape)`. */
  readonly labelSize!: number;
  /** The number of classes (classification), undefined for regression. */
  readonly numClasses!: number | undefined;
  /** Names of the classes, if known. */
  readonly classNames!: readonly string[] | undefined;
  /** Names of the feature columns, if known. */
  readonly featureNames!: readonly string[] | undefined;

  /**
   * @param init - {@link DatasetInit}.
   * @throws InvalidArgumentError for shapes that do not match the array lengths, class indices
   *   out of range, non-finite features or targets, or names of the wrong length.
   */
  constructor(init: DatasetInit) {
    const featureShape = checkShape('featureShape', init.featureShape);
    const featureSize = product(featureShape);
    const features = toFeatureArray(init.features);
    if (features.length % featureSize !== 0) {
      throw new InvalidArgumentError(
        'features.length',
        features.length,
        `a multiple of prod(featureShape) = ${featureSize}`,
      );
    }
    const size = features.length / featureSize;
    if (features instanceof Float32Array) assertAllFinite('features', features);
    const numClasses =
      init.numClasses === undefined
        ? undefined
        : assertInteger('numClasses', init.numClasses, { min: 1 });
    const labelShape = checkShape('labelShape', init.labelShape ?? []);
    if (numClasses !== undefined && labelShape.length > 0) {
      throw new InvalidArgumentError(
        'labelShape',
        init.labelShape,
        '[] for a classification set (one class index per example)',
      );
    }
    const labelSize = product(labelShape);
    if (init.labels.length !== size * labelSize) {
      throw new InvalidArgumentError(
        'labels.length',
        init.labels.length,
        `${size * labelSize} (${size} examples x ${labelSize} values)`,
      );
    }
    let labels: Int32Array | Float32Array;
    if (numClasses !== undefined) {
      labels = Int32Array.from(init.labels);
      for (let i = 0; i < labels.length; i++) {
        const v = init.labels[i] as number;
        if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) {
          throw new InvalidArgumentError(`labels[${i}]`, v, `an integer in [0, ${numClasses})`);
        }
      }
    } else {
      labels = init.labels instanceof Float32Array ? init.labels : Float32Array.from(init.labels);
      assertAllFinite('labels', labels);
    }
    const transform = init.transform;
    if (transform !== undefined) checkTransform(transform, featureSize);
    if (init.classNames !== undefined && init.classNames.length !== numClasses) {
      throw new InvalidArgumentError(
        'classNames.length',
        init.classNames.length,
        `numClasses (${numClasses ?? 'undefined: regression sets have no classes'})`,
      );
    }
    if (init.featureNames !== undefined && init.featureNames.length !== featureSize) {
      throw new InvalidArgumentError(
        'featureNames.length',
        init.featureNames.length,
        `prod(featureShape) = ${featureSize}`,
      );
    }
    const fields: DatasetFields = {
      name: init.name ?? 'dataset',
      size,
      featureShape: Object.freeze(featureShape),
      featureSize,
      features,
      transform,
      labels,
      labelShape: Object.freeze(labelShape),
      labelSize,
      numClasses,
      classNames: init.classNames && Object.freeze([...init.classNames]),
      featureNames: init.featureNames && Object.freeze([...init.featureNames]),
    };
    Object.assign(this, fields);
    Object.freeze(this);
  }

  /** `'classification'` when the set has `numClasses`, else `'regression'`. */
  get task(): 'classification' | 'regression' {
    return this.numClasses === undefined ? 'regression' : 'classification';
  }

  /**
   * The number of batches one epoch has.
   *
   * @param batchSize - an integer >= 1.
   * @param dropRemainder - drop a last, smaller batch. Default false.
   * @returns `ceil(size / batchSize)`, or `floor(...)` with `dropRemainder`.
   * @example
   * ```ts
   * import { Dataset } from '@dropkit/datasets';
   * const ds = new Dataset({ features: new Float32Array(10), featureShape: [1], labels: new Float32Array(10) });
   * console.log(ds.numBatches(4), ds.numBatches(4, true)); // 3 2
   * ```
   */
  numBatches(batchSize: number, dropRemainder = false): number {
    assertInteger('batchSize', batchSize, { min: 1 });
    return dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /**
   * Iterates over one epoch in batches of `{xs, ys}` tensors, made one batch at a time when the
   * iterator is advanced (sync `for...of` or `for await`). **The consumer owns each batch's
   * tensors and must dispose them** (`tf.dispose([xs, ys])`, or run the step inside `tf.tidy`);
   * stopping early leaks nothing, since no tensor exists before it is asked for. With `shuffle`,
   * the epoch's order is `permutation(size, seed, epoch)`: the same for the same seed and epoch,
   * different per epoch. `startBatch` resumes an epoch at a batch index.
   *
   * @param options - {@link BatchOptions}.
   * @returns a {@link BatchIterator} over batches `startBatch .. numBatches - 1`.
   * @throws InvalidArgumentError for a bad batch size, seed, epoch or start batch, or `oneHot` on a
   *   regression set.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Dataset } from '@dropkit/datasets';
   * const ds = new Dataset({ features: [1, 2, 3, 4, 5], featureShape: [1], labels: [0, 1, 0, 1, 0], numClasses: 2 });
   * for (const { xs, ys } of ds.batches({ batchSize: 2, shuffle: true, seed: 1, oneHot: true })) {
   *   console.log(xs.shape[1], ys.shape[1]); // 1 2
   *   tf.dispose([xs, ys]);
   *   break;
   * }
   * ```
   */
  batches(options: BatchOptions): BatchIterator {
    return new BatchIterator(this, options);
  }

  /**
   * The features of every example with the transform applied, as one new float32 array.
   *
   * @returns `size * featureSize` values, row-major.
   * @example
   * ```ts
   * import { Dataset, fitNormalization } from '@dropkit/datasets';
   * const ds = new Dataset({ features: [1, 3], featureShape: [1], labels: [0, 0] });
   * console.log(fitNormalization(ds).apply(ds).featureValues()); // Float32Array(2) [ -1, 1 ]
   * ```
   */
  featureValues(): Float32Array {
    const out = new Float32Array(this.size * this.featureSize);
    gatherFeatures(
      this.features,
      this.featureSize,
      this.transform,
      identityOrder(this.size),
      0,
      this.size,
      out,
    );
    return out;
  }

  /**
   * The number of examples of each class.
   *
   * @returns an array of length `numClasses`.
   * @throws InvalidArgumentError on a regression set.
   * @example
   * ```ts
   * import { Dataset } from '@dropkit/datasets';
   * const ds = new Dataset({ features: [1, 2, 3], featureShape: [1], labels: [0, 2, 2], numClasses: 3 });
   * console.log(ds.classCounts()); // [ 1, 0, 2 ]
   * ```
   */
  classCounts(): number[] {
    if (this.numClasses === undefined) {
      throw new InvalidArgumentError('dataset', this.name, 'a classification set (numClasses)');
    }
    const counts = new Array<number>(this.numClasses).fill(0);
    for (const c of this.labels) counts[c] = (counts[c] as number) + 1;
    return counts;
  }

  /**
   * The first `n` examples (or all, if fewer), sharing this set's storage.
   *
   * @param n - an integer >= 0.
   * @returns a dataset of `min(n, size)` examples.
   * @example
   * ```ts
   * import { loadIris } from '@dropkit/datasets';
   * console.log(loadIris().take(10).size); // 10
   * ```
   */
  take(n: number): Dataset {
    assertInteger('n', n, { min: 0 });
    const m = Math.min(n, this.size);
    return trustedDataset({
      ...datasetFields(this),
      size: m,
      features: this.features.subarray(0, m * this.featureSize),
      labels: this.labels.subarray(0, m * this.labelSize),
    });
  }

  /**
   * The examples at `indices`, in that order (repeats allowed), copied.
   *
   * @param indices - integers in [0, size).
   * @returns a dataset of `indices.length` examples.
   * @throws InvalidArgumentError naming the first index out of range.
   * @example
   * ```ts
   * import { Dataset } from '@dropkit/datasets';
   * const ds = new Dataset({ features: [10, 20, 30], featureShape: [1], labels: [0, 1, 2], numClasses: 3 });
   * console.log(ds.subset([2, 0]).labels); // Int32Array(2) [ 2, 0 ]
   * ```
   */
  subset(indices: ArrayLike<number>): Dataset {
    for (let i = 0; i < indices.length; i++) {
      assertInteger(`indices[${i}]`, indices[i], { min: 0, max: this.size - 1 });
    }
    const n = indices.length;
    const features =
      this.features instanceof Uint8Array
        ? new Uint8Array(n * this.featureSize)
        : new Float32Array(n * this.featureSize);
    gatherRows(this.features, this.featureSize, indices, 0, n, features);
    const labels =
      this.labels instanceof Int32Array
        ? new Int32Array(n * this.labelSize)
        : new Float32Array(n * this.labelSize);
    gatherRows(this.labels, this.labelSize, indices, 0, n, labels);
    return trustedDataset({ ...datasetFields(this), size: n, features, labels });
  }

  /**
   * Splits into train / validation / test parts, after a seeded shuffle unless `shuffle: false`.
   * The sizes are fractions of `size` when every given value is in [0, 1] and they sum to at most
   * 1, else counts (integers summing to at most `size`). Fractions cut at `round(cumulative
   * fraction * size)`, so parts whose fractions sum to 1 cover every example exactly once.
   *
   * @param options - {@link SplitOptions}.
   * @returns {@link DatasetSplits}, each part a copy.
   * @throws InvalidArgumentError for negative sizes, counts that are not integers or sum past
   *   `size`, or a bad seed.
   * @example
   * ```ts
   * import { loadIris } from '@dropkit/datasets';
   * const { train, val, test } = loadIris().split({ train: 0.8, val: 0.1, test: 0.1, seed: 0 });
   * console.log(train.size, val.size, test.size); // 120 15 15
   * ```
   */
  split(options: SplitOptions): DatasetSplits {
    const parts = ['train', 'val', 'test'] as const;
    const given = parts.map((p) => {
      const v = options[p] ?? 0;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new InvalidArgumentError(p, v, 'a fraction in [0, 1] or a count >= 0');
      }
      return v;
    });
    const sum = given.reduce((a, b) => a + b, 0);
    const n = this.size;
    let bounds: number[];
    if (given.every((v) => v <= 1) && sum <= 1 + 1e-9) {
      let cumulative = 0;
      bounds = given.map((v) => {
        cumulative += v;
        return Math.min(n, Math.round(cumulative * n));
      });
    } else {
      given.forEach((v, i) => {
        assertInteger(parts[i] as string, v, { min: 0 });
      });
      if (sum > n) {
        throw new InvalidArgumentError(
          'train + val + test',
          sum,
          `counts summing to at most the dataset size ${n}`,
        );
      }
      let cumulative = 0;
      bounds = given.map((v) => {
        cumulative += v;
        return cumulative;
      });
    }
    const seed = assertInteger('seed', options.seed ?? 0, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    const order =
      (options.shuffle ?? true) ? permutation(n, seed, streamOf(STREAM_TAGS.split)) : undefined;
    const part = (from: number, to: number, suffix: string): Dataset => {
      const idx = order ? order.subarray(from, to) : identityOrder(n).subarray(from, to);
      const ds = this.subset(idx);
      return trustedDataset({ ...datasetFields(ds), name: `${this.name}/${suffix}` });
    };
    const [b1, b2, b3] = bounds as [number, number, number];
    return { train: part(0, b1, 'train'), val: part(b1, b2, 'val'), test: part(b2, b3, 'test') };
  }

  /**
   * The same examples with another feature shape of the same element count (e.g. `[784]` for an
   * MLP instead of `[28, 28, 1]`), sharing storage.
   *
   * @param featureShape - integers >= 1 whose product is `featureSize`.
   * @returns the reshaped dataset.
   * @throws InvalidArgumentError when the element count differs.
   * @example
   * ```ts
   * import { Dataset } from '@dropkit/datasets';
   * const ds = new Dataset({ features: new Uint8Array(8), featureShape: [2, 2, 1], labels: [0, 1], numClasses: 2 });
   * console.log(ds.reshapeFeatures([4]).featureShape); // [ 4 ]
   * ```
   */
  reshapeFeatures(featureShape: readonly number[]): Dataset {
    const shape = checkShape('featureShape', featureShape);
    if (product(shape) !== this.featureSize) {
      throw new InvalidArgumentError(
        'featureShape',
        featureShape,
        `a shape with ${this.featureSize} elements, as [${this.featureShape.join(', ')}]`,
      );
    }
    return trustedDataset({
      ...datasetFields(this),
      featureShape: Object.freeze(shape),
    });
  }
}

/** The fields of a dataset, to spread into a derived one. */
export function datasetFields(ds: Dataset): DatasetFields {
  return {
    name: ds.name,
    size: ds.size,
    featureShape: ds.featureShape,
    featureSize: ds.featureSize,
    features: ds.features,
    transform: ds.transform,
    labels: ds.labels,
    labelShape: ds.labelShape,
    labelSize: ds.labelSize,
    numClasses: ds.numClasses,
    classNames: ds.classNames,
    featureNames: ds.featureNames,
  };
}

function toFeatureArray(values: FeatureArray | ArrayLike<number>): FeatureArray {
  if (values instanceof Float32Array || values instanceof Uint8Array) return values;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InvalidArgumentError(
      'features',
      values,
      'a Float32Array, Uint8Array or number array',
    );
  }
  return Float32Array.from(values);
}

function assertAllFinite(name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InvalidArgumentError(`${name}[${i}]`, values[i], 'a finite number');
    }
  }
}

function checkTransform(t: FeatureTransform, featureSize: number): void {
  for (const key of ['shift', 'scale'] as const) {
    const arr = t[key];
    if (!(arr instanceof Float64Array) || arr.length !== featureSize) {
      throw new InvalidArgumentError(
        `transform.${key}`,
        arr,
        `a Float64Array of length ${featureSize}`,
      );
    }
    for (let j = 0; j < arr.length; j++) {
      const v = arr[j] as number;
      if (!Number.isFinite(v) || (key === 'scale' && v === 0)) {
        throw new InvalidArgumentError(
          `transform.${key}[${j}]`,
          v,
          key === 'scale' ? 'a finite non-zero number' : 'a finite number',
        );
      }
    }
  }
}
