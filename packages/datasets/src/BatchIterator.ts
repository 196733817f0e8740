import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import { type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { Dataset } from './Dataset.js';
import { gatherFeatures, gatherRows, identityOrder } from './gather.js';
import { assertSeed, permutation, STREAM_TAGS, streamOf } from './SeededRandom.js';

/** Options of {@link Dataset.batches}. */
export interface BatchOptions {
  /** Examples per batch, an integer >= 1. */
  readonly batchSize: number;
  /** Visit the examples in a seeded random order. Default false (storage order). */
  readonly shuffle?: boolean;
  /** The shuffle's seed, an integer in [0, 2^53). Default 0. */
  readonly seed?: number;
  /**
   * The epoch index, an integer in [0, 2^32): with `shuffle`, each epoch has its own order,
   * `permutation(size, seed, epoch)`. Default 0.
   */
  readonly epoch?: number;
  /** Start at this batch of the epoch (to resume from a checkpoint). Default 0. */
  readonly startBatch?: number;
  /** Drop a last batch smaller than `batchSize`. Default false. */
  readonly dropRemainder?: boolean;
  /**
   * Labels as one-hot float32 `[batch, numClasses]` instead of int32 class indices `[batch]`
   * (classification sets only). Default false.
   */
  readonly oneHot?: boolean;
}

/** One batch. The consumer owns `xs` and `ys` and must dispose them. */
export interface Batch {
  /** Features, float32, `[batch, ...featureShape]`, with the dataset's transform applied. */
  readonly xs: Tensor;
  /**
   * Labels: int32 `[batch]` class indices, float32 `[batch, numClasses]` one-hot, or float32
   * `[batch, ...labelShape]` regression targets.
   */
  readonly ys: Tensor;
  /** The dataset indices of the examples in this batch, in batch order. */
  readonly indices: Uint32Array;
  /** The epoch this batch belongs to. */
  readonly epoch: number;
  /** This batch's index within the epoch. */
  readonly batch: number;
}

/** Where an iteration stands: enough, with the same options, to resume at the next batch. */
export interface BatchPosition {
  /** The epoch. */
  readonly epoch: number;
  /** The index of the next batch to be produced (`numBatches` when the epoch is done). */
  readonly batch: number;
}

/**
 * An iterator over one epoch of a {@link Dataset}, sync and async iterable. Each `next()` makes
 * the tensors of one batch and nothing else exists in between, so abandoning the iteration
 * (`break`, an exception) leaves no tensor behind; each batch's tensors belong to the consumer.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { loadIris } from '@dropkit/datasets';
 * const it = loadIris().batches({ batchSize: 32, shuffle: true, seed: 7, epoch: 2 });
 * const first = it.next();
 * if (!first.done) tf.dispose([first.value.xs, first.value.ys]);
 * console.log(it.numBatches, it.position()); // 5 { epoch: 2, batch: 1 }
 * ```
 */
export class BatchIterator implements IterableIterator<Batch>, AsyncIterable<Batch> {
  /** The dataset iterated over. */
  readonly dataset: Dataset;
  /** Examples per batch. */
  readonly batchSize: number;
  /** Batches in the whole epoch (including any before `startBatch`). */
  readonly numBatches: number;
  /** The epoch index. */
  readonly epoch: number;
  /** Whether the order is shuffled. */
  readonly shuffle: boolean;
  /** The shuffle seed. */
  readonly seed: number;
  /** Whether a last, smaller batch is dropped. */
  readonly dropRemainder: boolean;
  /** Whether labels come one-hot. */
  readonly oneHot: boolean;
  private readonly order: Uint32Array;
  private nextBatch: number;

  /**
   * @param dataset - the dataset.
   * @param options - {@link BatchOptions}.
   */
  constructor(dataset: Dataset, options: BatchOptions) {
    this.dataset = dataset;
    this.batchSize = assertInteger('batchSize', options.batchSize, { min: 1 });
    this.shuffle = options.shuffle ?? false;
    this.seed = assertSeed('seed', options.seed ?? 0);
    this.epoch = assertInteger('epoch', options.epoch ?? 0, { min: 0, max: 0xffffffff });
    this.dropRemainder = options.dropRemainder ?? false;
    this.oneHot = options.oneHot ?? false;
    if (this.oneHot && dataset.numClasses === undefined) {
      throw new InvalidArgumentError(
        'oneHot',
        true,
        `false for the regression set "${dataset.name}" (one-hot needs numClasses)`,
      );
    }
    this.numBatches = dataset.numBatches(this.batchSize, this.dropRemainder);
    this.nextBatch = assertInteger('startBatch', options.startBatch ?? 0, {
      min: 0,
      max: this.numBatches,
    });
    this.order = this.shuffle
      ? permutation(dataset.size, this.seed, streamOf(STREAM_TAGS.epoch, this.epoch))
      : identityOrder(dataset.size);
  }

  /**
   * Where the iteration stands: the epoch and the index of the next batch.
   *
   * @returns a {@link BatchPosition}; pass `epoch` and `startBatch: batch` with the same other
   *   options to resume there.
   * @example
   * ```ts
   * import { loadIris } from '@dropkit/datasets';
   * console.log(loadIris().batches({ batchSize: 50, startBatch: 2 }).position()); // { epoch: 0, batch: 2 }
   * ```
   */
  position(): BatchPosition {
    return { epoch: this.epoch, batch: this.nextBatch };
  }

  /**
   * The example indices of batch `b` of this epoch, without making tensors.
   *
   * @param b - a batch index in [0, numBatches).
   * @returns the dataset indices, in batch order.
   * @example
   * ```ts
   * import { loadIris } from '@dropkit/datasets';
   * console.log(loadIris().batches({ batchSize: 4 }).batchIndices(1)); // Uint32Array(4) [ 4, 5, 6, 7 ]
   * ```
   */
  batchIndices(b: number): Uint32Array {
    assertInteger('b', b, { min: 0, max: this.numBatches - 1 });
    const start = b * this.batchSize;
    return this.order.slice(start, Math.min(start + this.batchSize, this.dataset.size));
  }

  /**
   * Makes the next batch's tensors.
   *
   * @returns the next {@link Batch}, or `done` at the end of the epoch.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs-core';
   * import { loadIris } from '@dropkit/datasets';
   * const r = loadIris().batches({ batchSize: 150 }).next();
   * if (!r.done) {
   *   console.log(r.value.xs.shape, r.value.ys.dtype); // [ 150, 4 ] int32
   *   tf.dispose([r.value.xs, r.value.ys]);
   * }
   * ```
   */
  next(): IteratorResult<Batch, undefined> {
    if (this.nextBatch >= this.numBatches) return { done: true, value: undefined };
    const b = this.nextBatch++;
    const ds = this.dataset;
    const start = b * this.batchSize;
    const end = Math.min(start + this.batchSize, ds.size);
    const n = end - start;
    const xsValues = new Float32Array(n * ds.featureSize);
    gatherFeatures(ds.features, ds.featureSize, ds.transform, this.order, start, end, xsValues);
    // Typed arrays are handed to tfjs without a copy, so every batch gets fresh ones.
    const xs = tensor(xsValues, [n, ...ds.featureShape], 'float32');
    let ys: Tensor;
    try {
      ys = this.makeLabels(start, end);
    } catch (err) {
      xs.dispose();
      throw err;
    }
    return {
      done: false,
      value: { xs, ys, indices: this.order.slice(start, end), epoch: this.epoch, batch: b },
    };
  }

  /**
   * Ends the iteration early (called by `break` in a `for...of`); later `next()` calls are done.
   *
   * @returns a done result.
   * @example
   * ```ts
   * import { loadIris } from '@dropkit/datasets';
   * const it = loadIris().batches({ batchSize: 10 });
   * it.return();
   * console.log(it.next().done); // true
   * ```
   */
  return(): IteratorResult<Batch, undefined> {
    this.nextBatch = this.numBatches;
    return { done: true, value: undefined };
  }

  /** @returns this iterator, for `for...of`. */
  [Symbol.iterator](): BatchIterator {
    return this;
  }

  /** @returns an async view of this iterator, for `for await...of`; both advance together. */
  [Symbol.asyncIterator](): AsyncIterator<Batch, undefined> {
    return {
      next: async () => this.next(),
      return: async () => this.return(),
    };
  }

  private makeLabels(start: number, end: number): Tensor {
    const ds = this.dataset;
    const n = end - start;
    if (ds.numClasses !== undefined && this.oneHot) {
      const k = ds.numClasses;
      const values = new Float32Array(n * k);
      for (let i = 0; i < n; i++) {
        values[i * k + (ds.labels[this.order[start + i] as number] as number)] = 1;
      }
      return tensor(values, [n, k], 'float32');
    }
    if (ds.labels instanceof Int32Array) {
      const values = new Int32Array(n);
      gatherRows(ds.labels, 1, this.order, start, end, values);
      return tensor(values, [n], 'int32');
    }
    const values = new Float32Array(n * ds.labelSize);
    gatherRows(ds.labels, ds.labelSize, this.order, start, end, values);
    return tensor(values, [n, ...ds.labelShape], 'float32');
  }
}
