import { type Tensor, tensor4d, tidy } from '@tensorflow/tfjs-core';
import { keptFraction, type RgbaPicture, tileBatch, toRgba } from './pixels.ts';
import {
  PLAYGROUND_VARIANTS,
  type PlaygroundParams,
  type PlaygroundVariant,
} from './playgroundVariants.ts';
import type { TestImage } from './testImage.ts';

/** One variant's rendering. */
export interface VariantRender {
  /** The variant's name (`data-variant`). */
  readonly name: string;
  /** The op's output as HWC float32 values (a batch laid out as a contact sheet). */
  readonly values: Float32Array;
  /** The canvas pixels of `values`. */
  readonly picture: RgbaPicture;
  /** The fraction of elements kept; 1 where the variant drops nothing. */
  readonly kept: number;
}

function renderOne(
  variant: PlaygroundVariant,
  image: TestImage,
  params: PlaygroundParams,
): VariantRender {
  // Every intermediate tensor, and the output once read, is freed by the tidy.
  const { values, shape } = tidy(() => {
    const x = tensor4d(image.data, [1, image.height, image.width, image.channels]);
    const y: Tensor = variant.run(x, params);
    return { values: y.dataSync() as Float32Array, shape: y.shape };
  });
  const [count, height, width, channels] = shape as [number, number, number, number];
  const sheet = tileBatch(
    { count, height, width, channels, values },
    Math.min(count, variant.columns ?? 1),
  );
  const dropped = variant.droppedValue(params);
  return {
    name: variant.name,
    values: sheet.values,
    picture: toRgba(sheet.values, sheet.height, sheet.width, channels === 1 ? 1 : 3),
    kept: dropped === null ? 1 : keptFraction(values, dropped),
  };
}

/**
 * Runs every playground variant on the picture with the given controls, on whatever tfjs backend
 * is active (the playground sets up `cpu`), and returns each one's pixels and kept fraction. No
 * tensor outlives the call.
 *
 * @param image - the picture ({@link buildTestImage}).
 * @param params - seed, rate and block size ({@link readPlaygroundParams}).
 * @param variants - which variants to run. Default: all of {@link PLAYGROUND_VARIANTS}.
 * @returns one rendering per variant, in the order given.
 * @throws InvalidArgumentError from an op whose options do not fit (e.g. a block larger than the
 *   picture).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { buildTestImage, renderVariants } from '@dropkit/demo/playground';
 * const before = tf.memory().numTensors;
 * const [original] = renderVariants(buildTestImage(32), { seed: 1, rate: 0.5, blockSize: 3 });
 * console.log(original?.name, original?.kept, tf.memory().numTensors === before); // original 1 true
 * ```
 */
export function renderVariants(
  image: TestImage,
  params: PlaygroundParams,
  variants: readonly PlaygroundVariant[] = PLAYGROUND_VARIANTS,
): VariantRender[] {
  return variants.map((variant) => renderOne(variant, image, params));
}
