import { assertInteger, InvalidArgumentError } from '@dropkit/core';

/** A picture ready for a canvas: `ImageData`'s layout, 4 bytes (RGBA) a pixel, row by row. */
export interface RgbaPicture {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** A batch of same-sized HWC pictures laid out as one NHWC array. */
export interface PictureBatch {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly values: ArrayLike<number>;
}

function assertLength(name: string, values: ArrayLike<number>, expected: number): void {
  if (values.length !== expected) {
    throw new InvalidArgumentError(
      `${name}.length`,
      values.length,
      `${expected}, the element count of the given shape`,
    );
  }
}

/**
 * Turns an op's HWC output into canvas pixels: each channel value v in [0, 1] becomes
 * round(255 v), values outside are clamped (a dropout output scaled above 1 saturates, a negative
 * one is black), so a dropped element (0) is black in its channel. One channel is drawn as grey;
 * three as RGB. Alpha is opaque.
 *
 * @param values - height * width * channels values, HWC.
 * @param height - the picture's height in pixels.
 * @param width - the picture's width in pixels.
 * @param channels - 1 (grey) or 3 (RGB).
 * @returns the RGBA pixels.
 * @throws InvalidArgumentError for a bad size, a channel count other than 1 or 3, a length that
 *   does not match, or a value that is NaN (an op bug must not render as black silently).
 * @example
 * ```ts
 * import { toRgba } from '@dropkit/demo/playground';
 * const picture = toRgba([0, 0.5, 2], 1, 1, 3);
 * console.log(Array.from(picture.data)); // [ 0, 128, 255, 255 ]
 * ```
 */
export function toRgba(
  values: ArrayLike<number>,
  height: number,
  width: number,
  channels: 1 | 3,
): RgbaPicture {
  assertInteger('height', height, { min: 1 });
  assertInteger('width', width, { min: 1 });
  if (channels !== 1 && channels !== 3)
    throw new InvalidArgumentError('channels', channels, '1 or 3');
  assertLength('values', values, height * width * channels);
  const pixels = height * width;
  const data = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < 3; k++) {
      const index = p * channels + (channels === 1 ? 0 : k);
      const v = values[index] as number;
      if (Number.isNaN(v))
        throw new InvalidArgumentError(`values[${index}]`, v, 'a number, not NaN');
      // Uint8ClampedArray clamps to [0, 255] and rounds half to even on assignment.
      data[p * 4 + k] = v * 255;
    }
    data[p * 4 + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Lays a batch of pictures out as one picture, `columns` samples a row (row-major; cells past the
 * last sample are 0), so a per-sample op's output shows as a contact sheet.
 *
 * @param batch - the NHWC batch.
 * @param columns - samples per row, an integer >= 1.
 * @returns the sheet as HWC values with the batch's channel count.
 * @throws InvalidArgumentError for a bad shape, a length that does not match or a bad column count.
 * @example
 * ```ts
 * import { tileBatch } from '@dropkit/demo/playground';
 * // Two 1x1 grey samples side by side.
 * const sheet = tileBatch({ count: 2, height: 1, width: 1, channels: 1, values: [0.25, 0.75] }, 2);
 * console.log(sheet.height, sheet.width, Array.from(sheet.values)); // 1 2 [ 0.25, 0.75 ]
 * ```
 */
export function tileBatch(
  batch: PictureBatch,
  columns: number,
): { height: number; width: number; values: Float32Array } {
  const { count, height, width, channels, values } = batch;
  for (const [name, v] of [
    ['count', count],
    ['height', height],
    ['width', width],
    ['channels', channels],
    ['columns', columns],
  ] as const) {
    assertInteger(name, v, { min: 1 });
  }
  assertLength('values', values, count * height * width * channels);
  const rows = Math.ceil(count / columns);
  const sheetWidth = Math.min(columns, count) * width;
  const sheetHeight = rows * height;
  const out = new Float32Array(sheetHeight * sheetWidth * channels);
  const rowLength = width * channels;
  for (let n = 0; n < count; n++) {
    const top = Math.floor(n / columns) * height;
    const left = (n % columns) * width;
    for (let y = 0; y < height; y++) {
      const from = (n * height + y) * rowLength;
      const to = ((top + y) * sheetWidth + left) * channels;
      for (let i = 0; i < rowLength; i++) out[to + i] = values[from + i] as number;
    }
  }
  return { height: sheetHeight, width: sheetWidth, values: out };
}

/**
 * The fraction of elements an op kept: those whose output differs from the value a dropped element
 * takes (0 for dropout, DropBlock and drop path; alpha dropout's saturation value for alpha
 * dropout). Exact when the input has no element that maps to that value, which the test picture
 * guarantees for 0 (its smallest value is 0.1).
 *
 * @param values - the op's output.
 * @param droppedValue - what a dropped element becomes. Default 0.
 * @returns a number in [0, 1]; 1 for an empty output.
 * @example
 * ```ts
 * import { keptFraction } from '@dropkit/demo/playground';
 * console.log(keptFraction([0, 1.25, 0, 1.25])); // 0.5
 * ```
 */
export function keptFraction(values: ArrayLike<number>, droppedValue = 0): number {
  if (values.length === 0) return 1;
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== droppedValue) kept++;
  return kept / values.length;
}
