/** Raw feature storage: float32, or uint8 for images (converted to float32 per batch). */
export type FeatureArray = Float32Array | Uint8Array;

/**
 * A per-element affine map applied to raw features when they are read:
 * `value = (raw - shift[j]) * scale[j]` for element j of an example.
 */
export interface FeatureTransform {
  /** Subtracted first; one entry per feature element. */
  readonly shift: Float64Array;
  /** Multiplied after; one entry per feature element, never 0. */
  readonly scale: Float64Array;
}

/**
 * Copies the features of examples `rows[start..end)` into `out` (float32, row after row), applying
 * the transform: one pass, no intermediate arrays.
 */
export function gatherFeatures(
  features: FeatureArray,
  featureSize: number,
  transform: FeatureTransform | undefined,
  rows: ArrayLike<number>,
  start: number,
  end: number,
  out: Float32Array,
): void {
  const f = featureSize;
  let dst = 0;
  if (transform === undefined) {
    for (let k = start; k < end; k++) {
      const src = (rows[k] as number) * f;
      // TypedArray#set converts uint8 to float32 natively, far faster than a JS loop.
      out.set(features.subarray(src, src + f), dst);
      dst += f;
    }
    return;
  }
  const { shift, scale } = transform;
  for (let k = start; k < end; k++) {
    const src = (rows[k] as number) * f;
    for (let j = 0; j < f; j++) {
      out[dst + j] = ((features[src + j] as number) - (shift[j] as number)) * (scale[j] as number);
    }
    dst += f;
  }
}

/** Copies `rows[start..end)` of a row-major array with `width` values per row into `out`. */
export function gatherRows<T extends Float32Array | Int32Array | Uint8Array>(
  values: T,
  width: number,
  rows: ArrayLike<number>,
  start: number,
  end: number,
  out: T,
): void {
  let dst = 0;
  for (let k = start; k < end; k++) {
    const src = (rows[k] as number) * width;
    if (width === 1) out[dst] = values[src] as number;
    else out.set(values.subarray(src, src + width), dst);
    dst += width;
  }
}

/** The identity order 0..n-1, for unshuffled passes. */
export function identityOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
