import { assertInteger, assertRate } from '@dropkit/core';
import {
  alphaDropout,
  alphaDropoutCoefficients,
  assertSeed,
  dropBlock2d,
  dropout,
  dropPath,
  gaussianDropout,
  probDropBlock2d,
  spatialDropout2d,
  standout,
} from '@dropkit/ops';
import { add, mul, type Tensor, tensor4d } from '@tensorflow/tfjs-core';
import { buildTestBatch } from './testImage.ts';

/** The playground's controls, validated. */
export interface PlaygroundParams {
  /** The seed every op gets (stream 0 of it: the same mask for the same seed). */
  readonly seed: number;
  /** The drop rate, in [0, 1). */
  readonly rate: number;
  /** DropBlock's block side, an integer in [1, the picture's side]. */
  readonly blockSize: number;
}

/** The playground's defaults: a rate high enough that every variant visibly drops something. */
export const DEFAULT_PLAYGROUND_PARAMS: PlaygroundParams = { seed: 42, rate: 0.3, blockSize: 9 };

/** What one variant runs and how its canvas is labelled. */
export interface PlaygroundVariant {
  /** The canvas's `data-variant`: the @dropkit/ops name where there is one. */
  readonly name: string;
  /** The caption's title. */
  readonly title: string;
  /** One line on what the op does, for the caption. */
  readonly caption: string;
  /**
   * Runs the op on the picture, a [1, H, W, 3] tensor, and returns an NHWC tensor (of any batch:
   * a batch is laid out as a contact sheet).
   */
  readonly run: (image: Tensor, params: PlaygroundParams) => Tensor;
  /** Samples per row of the contact sheet when `run` returns a batch. Default 1. */
  readonly columns?: number;
  /** The value a dropped element becomes, for the kept fraction; null when nothing is dropped. */
  readonly droppedValue: (params: PlaygroundParams) => number | null;
}

const zero = () => 0;

/** Drop path's batch: 16 small samples in a 4 x 4 sheet, as big as the other canvases. */
const BATCH = 16;
const BATCH_COLUMNS = 4;

/**
 * Every variant the playground shows, in display order: the picture itself, then each
 * @dropkit/ops op that means something on an image. DropBlock runs with one mask shared by the
 * three colour channels (`perChannel: false`): an RGB picture's channels are not feature maps, and
 * black squares read better than coloured ones; the per-channel default is shown beside it.
 *
 * @example
 * ```ts
 * import { PLAYGROUND_VARIANTS } from '@dropkit/demo/playground';
 * console.log(PLAYGROUND_VARIANTS[0]?.name, PLAYGROUND_VARIANTS.length > 8); // original true
 * ```
 */
export const PLAYGROUND_VARIANTS: readonly PlaygroundVariant[] = [
  {
    name: 'original',
    title: 'original',
    caption: 'The input picture, 96 x 96 RGB, drawn procedurally.',
    run: (image) => image.clone(),
    droppedValue: () => null,
  },
  {
    name: 'dropout',
    title: 'dropout',
    caption: 'Zeroes each value on its own with probability rate; scales the rest by 1/(1-rate).',
    run: (image, { rate, seed }) => dropout(image, { rate, seed }),
    droppedValue: zero,
  },
  {
    name: 'pixelDropout',
    title: 'dropout, noiseShape [1, H, W, 1]',
    caption: 'One mask broadcast over the channels (Keras noise_shape): whole pixels go black.',
    run: (image, { rate, seed }) =>
      dropout(image, { rate, seed, noiseShape: [1, image.shape[1] ?? 1, image.shape[2] ?? 1, 1] }),
    droppedValue: zero,
  },
  {
    name: 'spatialDropout2d',
    title: 'spatialDropout2d',
    caption: 'Drops whole channels (feature maps): here a colour plane at a time, or none.',
    run: (image, { rate, seed }) => spatialDropout2d(image, { rate, seed }),
    droppedValue: zero,
  },
  {
    name: 'dropBlock2d',
    title: 'dropBlock2d',
    caption: 'Drops block x block squares, about rate of the map, one mask for all channels.',
    run: (image, { rate, seed, blockSize }) =>
      dropBlock2d(image, { rate, seed, blockSize, perChannel: false }),
    droppedValue: zero,
  },
  {
    name: 'dropBlock2dPerChannel',
    title: 'dropBlock2d, per channel',
    caption: 'The default (torchvision, keras-cv): each channel gets its own squares.',
    run: (image, { rate, seed, blockSize }) => dropBlock2d(image, { rate, seed, blockSize }),
    droppedValue: zero,
  },
  {
    name: 'probDropBlock2d',
    title: 'probDropBlock2d',
    caption: 'DropBlock whose squares fall where the picture is salient (bright), same rate.',
    run: (image, { rate, seed, blockSize }) =>
      probDropBlock2d(image, { rate, seed, blockSize, perChannel: false }),
    droppedValue: zero,
  },
  {
    name: 'gaussianDropout',
    title: 'gaussianDropout',
    caption: 'Multiplies each value by N(1, rate/(1-rate)) noise: nothing dropped, all jittered.',
    run: (image, { rate, seed }) => gaussianDropout(image, { rate, seed }),
    droppedValue: () => null,
  },
  {
    name: 'alphaDropout',
    title: 'alphaDropout',
    caption:
      "Sets dropped values to SELU's saturation (black here), then restores mean and variance.",
    run: (image, { rate, seed }) => alphaDropout(image, { rate, seed }),
    droppedValue: ({ rate }) => {
      if (rate === 0) return null;
      // The kernel's float32 arithmetic for a dropped element: fround(fround(a * alphaP) + b).
      const { a, b, alphaP } = alphaDropoutCoefficients(rate);
      return Math.fround(Math.fround(Math.fround(a) * Math.fround(alphaP)) + Math.fround(b));
    },
  },
  {
    name: 'standout',
    title: 'standout',
    caption:
      'Keeps each value with probability sigmoid(4 (x - 0.5) + logit(1 - rate)): bright wins.',
    run: (image, { rate, seed }) => {
      if (rate === 0) return image.clone();
      // The pre-activation is the picture's own brightness, centred, so mid-grey is kept with
      // probability 1 - rate and brighter values more often.
      const pre = mul(add(image, -0.5), 4);
      return standout(image, pre, { seed, beta: Math.log((1 - rate) / rate) });
    },
    droppedValue: zero,
  },
  {
    name: 'dropPath',
    title: 'dropPath (a batch of 16)',
    caption: 'Drop path / stochastic depth: zeroes whole samples of a batch, scales the rest.',
    run: (image, { rate, seed }) => {
      const size = Math.max(8, Math.floor((image.shape[1] ?? 96) / BATCH_COLUMNS));
      const batch = tensor4d(buildTestBatch(BATCH, size), [BATCH, size, size, 3]);
      return dropPath(batch, { rate, seed });
    },
    columns: BATCH_COLUMNS,
    droppedValue: zero,
  },
];

/**
 * Validates the playground's control values, so a bad field shows one clear message instead of a
 * failure in the middle of the ops.
 *
 * @param raw - the values read from the controls (numbers, possibly NaN for an empty field).
 * @param imageSize - the picture's side, the largest block size allowed.
 * @returns the same values, typed.
 * @throws InvalidArgumentError naming `seed`, `rate` or `blockSize` with what is allowed.
 * @example
 * ```ts
 * import { readPlaygroundParams } from '@dropkit/demo/playground';
 * const params = readPlaygroundParams({ seed: 7, rate: 0.2, blockSize: 5 }, 96);
 * console.log(params.rate); // 0.2
 * ```
 */
export function readPlaygroundParams(
  raw: { seed: unknown; rate: unknown; blockSize: unknown },
  imageSize: number,
): PlaygroundParams {
  return {
    seed: assertSeed('seed', raw.seed),
    rate: assertRate('rate', raw.rate),
    blockSize: assertInteger('blockSize', raw.blockSize, { min: 1, max: imageSize }),
  };
}
