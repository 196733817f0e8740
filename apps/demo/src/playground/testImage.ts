import { assertInteger } from '@dropkit/core';

/** The smallest value of any channel of the test image: no element is ever exactly 0. */
export const TEST_IMAGE_FLOOR = 0.1;

/** An RGB picture as float32 values in HWC order (one NHWC sample without the batch axis). */
export interface TestImage {
  readonly height: number;
  readonly width: number;
  /** Always 3: red, green, blue. */
  readonly channels: 3;
  /** height * width * 3 values in [TEST_IMAGE_FLOOR, 1], pixel (y, x) at (y * width + x) * 3. */
  readonly data: Float32Array;
}

type Rgb = readonly [number, number, number];

/** Hue in [0, 1) at full saturation and value, as RGB in [0, 1]. */
function hueToRgb(hue: number): Rgb {
  const h = (((hue % 1) + 1) % 1) * 6;
  const x = 1 - Math.abs((h % 2) - 1);
  if (h < 1) return [1, x, 0];
  if (h < 2) return [x, 1, 0];
  if (h < 3) return [0, 1, x];
  if (h < 4) return [0, x, 1];
  if (h < 5) return [x, 0, 1];
  return [1, 0, x];
}

/**
 * The colour of the test picture at a point of the unit square (u right, v down): a dim
 * blue-violet gradient behind bright shapes, so the picture has both busy and quiet regions (the
 * bright shapes are where ProbDropBlock's salience steers its blocks).
 */
function paint(u: number, v: number): Rgb {
  // Shapes are tested front to back; the first hit wins.
  const sun = Math.hypot(u - 0.27, v - 0.27);
  if (sun < 0.17) return [1, 0.85 - sun, 0.2];
  if (sun < 0.2) return [0.95, 0.55, 0.15];
  if (u > 0.58 && u < 0.88 && v > 0.14 && v < 0.44) {
    // A red square with white diagonal stripes: fine detail for per-element dropout to break.
    return Math.floor((u + v) * 20) % 2 === 0 ? [1, 0.3, 0.3] : [0.97, 0.95, 0.95];
  }
  // A green triangle pointing up, apex at (0.5, 0.5), base on v = 0.8.
  if (v > 0.5 && v < 0.8 && Math.abs(u - 0.5) < (v - 0.5) * 0.9) return [0.45, 0.95, 0.5];
  // A rainbow band along the bottom.
  if (v > 0.86) return hueToRgb(u);
  const t = (u + v) / 2;
  return [0.12 + 0.14 * t, 0.1 + 0.08 * (1 - t), 0.22 + 0.2 * (1 - v)];
}

/**
 * Draws the playground's built-in test picture procedurally (no image files): a sun, a striped
 * square, a triangle and a rainbow band on a gradient, at any size, every value in
 * [{@link TEST_IMAGE_FLOOR}, 1] so a 0 in an op's output always means "dropped".
 *
 * @param size - the side of the square picture in pixels, an integer in [8, 1024]. Default 96.
 * @returns the picture as HWC float32 values.
 * @throws InvalidArgumentError for a size that is not an integer in [8, 1024].
 * @example
 * ```ts
 * import { buildTestImage } from '@dropkit/demo/playground';
 * const image = buildTestImage(96);
 * console.log(image.height, image.width, image.data.length); // 96 96 27648
 * ```
 */
export function buildTestImage(size = 96): TestImage {
  assertInteger('size', size, { min: 8, max: 1024 });
  const data = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Pixel centres, so the picture is the same drawing at every size.
      const rgb = paint((x + 0.5) / size, (y + 0.5) / size);
      for (let k = 0; k < 3; k++) {
        const value = Math.min(1, Math.max(TEST_IMAGE_FLOOR, rgb[k] as number));
        data[(y * size + x) * 3 + k] = value;
      }
    }
  }
  return { height: size, width: size, channels: 3, data };
}

/**
 * A small batch of samples made from the test picture (mirrored, flipped and with its colour
 * channels rotated; the first 12 are all different), for the per-sample ops such as drop path:
 * neighbouring samples look different so that a dropped one is easy to tell from the others.
 *
 * @param count - the number of samples, an integer in [1, 64].
 * @param size - the side of each sample in pixels, an integer in [8, 1024].
 * @returns count * size * size * 3 values, NHWC.
 * @throws InvalidArgumentError for a count or size out of range.
 * @example
 * ```ts
 * import { buildTestBatch } from '@dropkit/demo/playground';
 * console.log(buildTestBatch(4, 16).length); // 3072
 * ```
 */
export function buildTestBatch(count: number, size: number): Float32Array {
  assertInteger('count', count, { min: 1, max: 64 });
  const base = buildTestImage(size).data;
  const per = size * size * 3;
  const out = new Float32Array(count * per);
  for (let n = 0; n < count; n++) {
    const rotate = n % 3;
    const mirror = Math.floor(n / 3) % 2 === 1;
    const flip = Math.floor(n / 6) % 2 === 1;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = ((flip ? size - 1 - y : y) * size + (mirror ? size - 1 - x : x)) * 3;
        const to = n * per + (y * size + x) * 3;
        for (let k = 0; k < 3; k++) out[to + k] = base[from + ((k + rotate) % 3)] as number;
      }
    }
  }
  return out;
}
