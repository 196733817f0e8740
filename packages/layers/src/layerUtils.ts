import { InvalidArgumentError } from '@dropkit/core';
import { assertSeed, createGenerator, type Generator } from '@dropkit/ops';
import type { serialization, Tensor } from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

/**
 * The base arguments of every tfjs-layers layer (`name`, `inputShape`, `batchInputShape`,
 * `trainable`, `dtype`, ...), as `tf.layers.Layer`'s constructor takes them.
 */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** The keyword arguments tfjs-layers passes to `Layer.call` (`training`, `mask`). */
export type Kwargs = Record<string, unknown>;

/** A layer's input as tfjs-layers hands it to `call`: one tensor, or a list. */
export type LayerInputs = Tensor | Tensor[];

/** The one tensor of a single-input layer's call, or an error naming the layer. */
export function singleInput(inputs: LayerInputs, layerName: string): Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1 || inputs[0] === undefined) {
    throw new InvalidArgumentError(
      `${layerName} inputs`,
      `a list of ${inputs.length} tensors`,
      'exactly one tensor',
    );
  }
  return inputs[0];
}

/** Whether tfjs-layers asked for training behaviour (`training: true`), as its own Dropout reads it. */
export function isTraining(kwargs: Kwargs | undefined): boolean {
  return kwargs?.training === true;
}

/**
 * Validates an optional layer seed and makes the layer's generator from it: streams 0, 1, 2, ...
 * of the seed, one per call, so a seeded layer gives a new mask every step and the same sequence
 * in every run. Without a seed the ops draw from the process-wide default generator.
 */
export function seedGenerator(seed: unknown): { seed: number | undefined; generator?: Generator } {
  if (seed === undefined || seed === null) return { seed: undefined };
  const s = assertSeed('seed', seed);
  return { seed: s, generator: createGenerator(s) };
}

/** A config entry for an optional value: `{ key: value }`, or nothing when it is undefined. */
export function optionalEntry(
  key: string,
  value: serialization.ConfigDictValue | undefined,
): serialization.ConfigDict {
  return value === undefined ? {} : { [key]: value };
}

/** Checks a noise shape's form at construction; the op checks it against the input's shape. */
export function checkNoiseShape(noiseShape: unknown): (number | null)[] | undefined {
  if (noiseShape === undefined || noiseShape === null) return undefined;
  const ok =
    Array.isArray(noiseShape) &&
    noiseShape.every((d) => d === null || (Number.isSafeInteger(d) && (d as number) >= 1));
  if (!ok) {
    throw new InvalidArgumentError(
      'noiseShape',
      noiseShape,
      'an array with one entry per input axis, each a positive integer or null',
    );
  }
  return [...(noiseShape as (number | null)[])];
}
