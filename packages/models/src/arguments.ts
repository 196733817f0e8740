// Argument checks and small helpers shared by the builders; not exported from the package.
import { assertInteger, assertOneOf, assertRate, InvalidArgumentError } from '@dropkit/core';

/** What the last dense layer of every builder applies. */
export type OutputActivation = 'softmax' | 'linear';

/** Options every builder accepts. */
export interface CommonOptions {
  /** Number of output classes. */
  readonly classes: number;
  /**
   * `softmax` (default) gives probabilities, ready for `categoricalCrossentropy`; `linear` gives
   * logits, for `tf.losses.softmaxCrossEntropy`.
   */
  readonly outputActivation?: OutputActivation;
  /**
   * Seeds the dropout sites: the k-th site created (in model order) gets `seed + k`, so a run
   * replays its masks. Without it every site draws from the process-wide generator.
   */
  readonly seed?: number;
  /** The model's name. Defaults to the builder's name. */
  readonly name?: string;
}

export interface CheckedCommon {
  readonly classes: number;
  readonly outputActivation: OutputActivation;
  readonly seeds: SeedSequence;
  readonly name: string;
}

export function checkCommon(options: CommonOptions, defaultName: string): CheckedCommon {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an options object');
  }
  const seed = options.seed;
  if (seed !== undefined) assertInteger('seed', seed, { min: 0 });
  return {
    classes: positiveInt('classes', options.classes),
    outputActivation: assertOneOf('outputActivation', options.outputActivation ?? 'softmax', [
      'softmax',
      'linear',
    ]),
    seeds: new SeedSequence(seed),
    name: checkName('name', options.name ?? defaultName),
  };
}

/** Hands each dropout site its seed in creation order, as a spreadable `{ seed }` or `{}`. */
export class SeedSequence {
  private next = 0;
  constructor(private readonly base: number | undefined) {}
  take(): { seed?: number } {
    if (this.base === undefined) return {};
    return { seed: this.base + this.next++ };
  }
}

export function positiveInt(name: string, value: unknown): number {
  return assertInteger(name, value, { min: 1 });
}

export function rate(name: string, value: unknown): number {
  return assertRate(name, value ?? 0);
}

export function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(name, value, 'a finite number > 0');
  }
  return value;
}

export function positiveIntArray(name: string, value: unknown, minLength = 1): number[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new InvalidArgumentError(
      name,
      value,
      `an array of at least ${minLength} positive integer${minLength === 1 ? '' : 's'}`,
    );
  }
  return value.map((v, i) => positiveInt(`${name}[${i}]`, v));
}

/** A shape without the batch axis, every dimension a positive integer. */
export function checkInputShape(name: string, value: unknown, rank?: number): number[] {
  const shape = positiveIntArray(name, value);
  if (rank !== undefined && shape.length !== rank) {
    throw new InvalidArgumentError(
      name,
      value,
      `${rank} positive integers (the shape of one example, without the batch axis)`,
    );
  }
  return shape;
}

/** An image size given as one side or as [height, width]. */
export function checkImageSize(value: unknown): [number, number] {
  if (typeof value === 'number') {
    const s = positiveInt('imageSize', value);
    return [s, s];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [positiveInt('imageSize[0]', value[0]), positiveInt('imageSize[1]', value[1])];
  }
  throw new InvalidArgumentError(
    'imageSize',
    value,
    'a positive integer or a [height, width] pair of them',
  );
}

const LAYER_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

// tfjs-layers rejects other characters only when it first names a weight, far from the cause.
export function checkName(name: string, value: unknown): string {
  if (typeof value !== 'string' || !LAYER_NAME.test(value)) {
    throw new InvalidArgumentError(
      name,
      value,
      'a name of letters, digits and - . _ / that starts with a letter or digit',
    );
  }
  return value;
}
