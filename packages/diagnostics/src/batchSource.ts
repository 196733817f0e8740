import { InvalidArgumentError } from '@dropkit/core';
import { dispose, slice, type Tensor } from '@tensorflow/tfjs-core';
import type { Batch } from './objective.js';

/**
 * A stream of batches read once, front to back: an iterable or async iterable of batches (an
 * array, a generator, a tf.data iterator wrapped in an async generator), or a function that
 * returns the next batch. Measurements pull only what they need and never call `return()` on an
 * iterator, so a generator can be shared with the training loop and resumes where it stopped.
 */
export type BatchSource = Iterable<Batch> | AsyncIterable<Batch> | (() => Batch | Promise<Batch>);

/**
 * Batches that a measurement passes over several times (every Hessian-vector product reads all of
 * them): one batch, an array of batches, or a function returning a fresh iterable each pass (a
 * generator function works).
 */
export type ReplayableData =
  | Batch
  | readonly Batch[]
  | (() => Iterable<Batch> | AsyncIterable<Batch>);

const isTensorLike = (t: unknown): t is Tensor =>
  t !== null && typeof t === 'object' && Array.isArray((t as Tensor).shape);

/** Whether a value looks like a {@link Batch}. */
export function isBatch(value: unknown): value is Batch {
  if (value === null || typeof value !== 'object') return false;
  const b = value as Batch;
  const ok = (t: unknown) =>
    isTensorLike(t) || (Array.isArray(t) && t.length > 0 && t.every(isTensorLike));
  return ok(b.xs) && ok(b.ys);
}

function firstTensor(t: Tensor | readonly Tensor[]): Tensor {
  return (Array.isArray(t) ? t[0] : t) as Tensor;
}

/**
 * The number of examples in a batch: the first axis of its (first) input tensor.
 *
 * @param batch - a batch.
 * @returns its example count.
 * @throws InvalidArgumentError when the batch has no example axis or its tensors disagree on it.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { batchSizeOf } from '@dropkit/diagnostics';
 * console.log(batchSizeOf({ xs: tf.zeros([5, 3]), ys: tf.zeros([5]) })); // 5
 * ```
 */
export function batchSizeOf(batch: Batch): number {
  if (!isBatch(batch))
    throw new InvalidArgumentError('batch', batch, 'a {xs, ys} batch of tensors');
  const x = firstTensor(batch.xs);
  const n = x.shape[0];
  if (n === undefined || n < 1) {
    throw new InvalidArgumentError(
      'batch.xs.shape',
      x.shape,
      'a shape with an example axis of size >= 1',
    );
  }
  for (const t of [...listOf(batch.xs), ...listOf(batch.ys)]) {
    if (t.shape[0] !== n) {
      throw new InvalidArgumentError(
        'batch',
        `tensors of first axes ${t.shape[0]} and ${n}`,
        'one example axis',
      );
    }
  }
  return n;
}

const listOf = (t: Tensor | readonly Tensor[]): readonly Tensor[] =>
  Array.isArray(t) ? t : [t as Tensor];

/** The examples [start, start + size) of a batch, as new tensors the caller disposes. */
export function sliceBatch(batch: Batch, start: number, size: number): Batch {
  const cut = (t: Tensor) => slice(t, start, size);
  return {
    xs: Array.isArray(batch.xs) ? batch.xs.map(cut) : cut(batch.xs as Tensor),
    ys: Array.isArray(batch.ys) ? batch.ys.map(cut) : cut(batch.ys as Tensor),
  };
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: Batch): void {
  dispose([...listOf(batch.xs), ...listOf(batch.ys)]);
}

/** Pulls batches one at a time from a {@link BatchSource}; `next()` returns null at its end. */
export class BatchReader {
  private readonly iterator: Iterator<Batch> | AsyncIterator<Batch> | null;
  private readonly fn: (() => Batch | Promise<Batch>) | null;
  /** Whether the source is a function (endless unless the caller stops). */
  readonly endless: boolean;

  constructor(
    source: BatchSource,
    private readonly name: string,
  ) {
    if (typeof source === 'function') {
      this.fn = source;
      this.iterator = null;
      this.endless = true;
      return;
    }
    const s = source as Partial<AsyncIterable<Batch> & Iterable<Batch>> | null;
    const asyncIt = s?.[Symbol.asyncIterator];
    const syncIt = s?.[Symbol.iterator];
    if (typeof asyncIt === 'function') {
      this.iterator = asyncIt.call(s);
    } else if (typeof syncIt === 'function') {
      this.iterator = syncIt.call(s);
    } else {
      throw new InvalidArgumentError(
        name,
        source,
        'an iterable or async iterable of {xs, ys} batches, or a function returning the next batch',
      );
    }
    this.fn = null;
    this.endless = false;
  }

  async next(): Promise<Batch | null> {
    let value: unknown;
    if (this.fn) {
      value = await this.fn();
    } else {
      const r = await (this.iterator as Iterator<Batch> | AsyncIterator<Batch>).next();
      if (r.done) return null;
      value = r.value;
    }
    if (!isBatch(value)) {
      throw new InvalidArgumentError(
        `${this.name} (a batch it produced)`,
        value,
        'a {xs, ys} batch of tensors',
      );
    }
    return value;
  }
}

/** Iterates the batches of one pass over {@link ReplayableData}. */
export async function* replay(data: ReplayableData, name: string): AsyncGenerator<Batch> {
  if (isBatch(data)) {
    yield data;
    return;
  }
  if (Array.isArray(data)) {
    if (data.length === 0) throw new InvalidArgumentError(name, data, 'at least one batch');
    for (const b of data) {
      if (!isBatch(b))
        throw new InvalidArgumentError(`${name} (an element)`, b, 'a {xs, ys} batch');
      yield b;
    }
    return;
  }
  if (typeof data === 'function') {
    const reader = new BatchReader((data as () => Iterable<Batch> | AsyncIterable<Batch>)(), name);
    let any = false;
    for (;;) {
      const b = await reader.next();
      if (b === null) break;
      any = true;
      yield b;
    }
    if (!any)
      throw new InvalidArgumentError(
        name,
        'a function whose iterable is empty',
        'at least one batch',
      );
    return;
  }
  throw new InvalidArgumentError(
    name,
    data,
    'a batch, an array of batches, or a function returning a fresh iterable of batches',
  );
}
