import { InvalidArgumentError } from '@dropkit/core';
import type { SeedAttrs } from '@dropkit/ops';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The key words of a call, in the order the module's exports take them. */
export function keyWords(attrs: SeedAttrs): [number, number, number, number] {
  return [attrs.seedLo, attrs.seedHi, attrs.streamLo, attrs.streamHi];
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks that a second input has x's shape: the kernels walk both with one index, so a shorter
 * one would be read past its end.
 */
export function assertSameShape(name: string, t: TensorInfo, x: TensorInfo): void {
  if (!sameShape(t.shape, x.shape)) {
    throw new InvalidArgumentError(
      `${name}.shape`,
      t.shape,
      `x's shape [${x.shape}] (the kernel reads both with one index)`,
    );
  }
}

/** How a broadcast mask is walked: x's dimensions merged where they broadcast alike. */
export interface BroadcastPlan {
  /** x's dimensions after merging, outermost first. */
  readonly dims: number[];
  /** The mask's stride in elements along each merged dimension, 0 where it broadcasts. */
  readonly strides: number[];
  /** The number of mask elements. */
  readonly maskCount: number;
}

/**
 * Plans the walk of a mask of shape `noiseShape` broadcast against `shape` (same rank, each
 * mask dimension 1 or x's size). Dimensions of size 1 are dropped and neighbours that both
 * broadcast, or both do not, are merged, so that the walk's rows are as long as possible.
 *
 * @throws InvalidArgumentError when the noise shape does not broadcast against x.
 */
export function broadcastPlan(
  shape: readonly number[],
  noiseShape: readonly number[],
): BroadcastPlan {
  const ok =
    Array.isArray(noiseShape) &&
    noiseShape.length === shape.length &&
    noiseShape.every((d, i) => d === 1 || d === shape[i]);
  if (!ok) {
    throw new InvalidArgumentError(
      'noiseShape',
      noiseShape,
      `an array of ${shape.length} entries, each 1 or the size of x there (x has shape [${shape}])`,
    );
  }
  const dims: number[] = [];
  const strides: number[] = [];
  let lastBroadcast: boolean | undefined;
  let stride = 1;
  // Walk from the innermost dimension outwards, building the mask's row-major strides.
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    const maskSize = noiseShape[d] as number;
    if (size !== 1) {
      const broadcast = maskSize === 1;
      if (broadcast === lastBroadcast) {
        dims[0] = (dims[0] as number) * size;
      } else {
        dims.unshift(size);
        strides.unshift(broadcast ? 0 : stride);
        lastBroadcast = broadcast;
      }
    }
    stride *= maskSize;
  }
  if (dims.length === 0) {
    dims.push(1);
    strides.push(0);
  }
  return { dims, strides, maskCount: stride };
}
