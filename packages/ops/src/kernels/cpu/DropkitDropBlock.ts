import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type DropBlockAttrs, DropkitDropBlock, DropkitProbDropBlock } from '../../kernel_names.js';
import { rateThreshold, uniform24 } from '../../rng/noise.js';
import { readFloat32, unaryCpuKernel, writeFloat32 } from './io.js';

/** The geometry of a DropBlock call on a 4-D map. */
export interface DropBlockGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  /** Mask channels: c when per-channel, else 1. */
  readonly cm: number;
  /** Block size. */
  readonly bs: number;
  /** Seed grid height and width: h - bs + 1, w - bs + 1. */
  readonly hs: number;
  readonly ws: number;
  /** timm's gamma: rate * h * w / (bs^2 * hs * ws). */
  readonly gamma: number;
}

/**
 * Reads the geometry of a DropBlock call: map size, mask channels, seed grid and timm's gamma.
 *
 * @param shape - x's shape, [N, H, W, C] or [N, C, H, W] as `attrs.dataFormat` says.
 * @param attrs - the kernel's attributes (a valid block size, see the op).
 * @returns the sizes and gamma.
 * @example
 * ```ts
 * import { dropBlockGeometry, resolveSeed } from '@dropkit/ops';
 * const attrs = { rate: 0.1, blockSize: 3, dataFormat: 'NHWC' as const, perChannel: false, ...resolveSeed(0) };
 * const g = dropBlockGeometry([2, 8, 10, 4], attrs);
 * console.log(g.hs, g.ws, g.cm); // 6 8 1
 * console.log(g.gamma === (0.1 * 8 * 10) / (9 * 6 * 8)); // true
 * ```
 */
export function dropBlockGeometry(
  shape: readonly number[],
  attrs: DropBlockAttrs,
): DropBlockGeometry {
  const [n, d1, d2, d3] = shape as [number, number, number, number];
  const [h, w, c] = attrs.dataFormat === 'NHWC' ? [d1, d2, d3] : [d2, d3, d1];
  const bs = attrs.blockSize;
  const hs = h - bs + 1;
  const ws = w - bs + 1;
  const gamma = (attrs.rate * h * w) / (bs * bs * hs * ws);
  return { n, h, w, c, cm: attrs.perChannel ? c : 1, bs, hs, ws, gamma };
}

/**
 * Per-sample seed probability factors of ProbDropBlock: S(n, i, j) / mean over (i, j) of S(n).
 * All arithmetic is float64, in this order: s(n, y, x) = (sum over k = 0..C-1 of
 * |guide(n, y, x, k)|) / C; a summed-area table of s built row by row (running row sum plus the
 * table entry above); the block sum at (i, j) as T[i+bs][j+bs] - T[i][j+bs] - T[i+bs][j] +
 * T[i][j], divided by bs^2, is S(n, i, j); the mean is the raster-order sum of S over the
 * (H - bs + 1) x (W - bs + 1) grid divided by its size. A sample whose mean is 0 or not finite
 * (all-zero guide, or a NaN or infinity in it) gets factor 1 everywhere: DropBlock's uniform gamma.
 * A constant guide gives factors of exactly 1 (DropBlock's mask): every sum above is then a
 * float32 value times an integer below 2^29, exact in float64's 53 bits.
 *
 * @param guide - the map whose salience steers the seeds, in x's layout.
 * @param g - the call's geometry ({@link dropBlockGeometry}).
 * @param dataFormat - the layout of `guide`.
 * @returns N * Hs * Ws factors, element (n * Hs + i) * Ws + j; their per-sample mean is 1.
 * @example
 * ```ts
 * import { dropBlockGeometry, resolveSeed, salienceFactors } from '@dropkit/ops';
 * const attrs = { rate: 0.1, blockSize: 1, dataFormat: 'NHWC' as const, perChannel: true, ...resolveSeed(0) };
 * const guide = Float32Array.of(1, -3, 0, 0); // a 1 x 2 x 1 map with 2 channels
 * console.log(salienceFactors(guide, dropBlockGeometry([1, 1, 2, 2], attrs), 'NHWC')); // Float64Array(2) [ 2, 0 ]
 * ```
 */
export function salienceFactors(
  guide: Float32Array,
  g: DropBlockGeometry,
  dataFormat: 'NHWC' | 'NCHW',
): Float64Array {
  const { n, h, w, c, bs, hs, ws } = g;
  const out = new Float64Array(n * hs * ws);
  const sat = new Float64Array((h + 1) * (w + 1));
  for (let s = 0; s < n; s++) {
    sat.fill(0);
    for (let y = 0; y < h; y++) {
      let row = 0;
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let k = 0; k < c; k++) {
          const idx =
            dataFormat === 'NHWC' ? ((s * h + y) * w + x) * c + k : ((s * c + k) * h + y) * w + x;
          acc += Math.abs(guide[idx] as number);
        }
        row += acc / c;
        sat[(y + 1) * (w + 1) + x + 1] = (sat[y * (w + 1) + x + 1] as number) + row;
      }
    }
    let total = 0;
    const base = s * hs * ws;
    for (let i = 0; i < hs; i++) {
      for (let j = 0; j < ws; j++) {
        const sum =
          (sat[(i + bs) * (w + 1) + j + bs] as number) -
          (sat[i * (w + 1) + j + bs] as number) -
          (sat[(i + bs) * (w + 1) + j] as number) +
          (sat[i * (w + 1) + j] as number);
        const v = sum / (bs * bs);
        out[base + i * ws + j] = v;
        total += v;
      }
    }
    const mean = total / (hs * ws);
    // A finite positive mean bounds every S (all are >= 0 up to rounding), so each factor is
    // finite; otherwise fall back to uniform rather than let a NaN threshold decide the mask.
    const uniform = !(Number.isFinite(mean) && mean > 0);
    for (let k = 0; k < hs * ws; k++)
      out[base + k] = uniform ? 1 : (out[base + k] as number) / mean;
  }
  return out;
}

/**
 * The DropBlock multipliers, in x's layout broadcast over channels when shared: 0 inside a
 * dropped block, scale = fround(numel / kept) elsewhere (0 everywhere if all is dropped).
 * Seeds live on the grid (n, c', i, j) of shape (N, C', H - bs + 1, W - bs + 1), element
 * ((n * C' + c') * Hs + i) * Ws + j of the uniform noise, whatever the data format; a seed fires
 * iff u < round(min(1, gamma * factor) * 2^24) and zeroes rows i..i+bs-1, columns j..j+bs-1.
 *
 * @param shape - x's shape in `attrs.dataFormat`.
 * @param attrs - the kernel's attributes.
 * @param factors - ProbDropBlock's seed factors ({@link salienceFactors}); none for DropBlock.
 * @returns multipliers of shape [N, H, W, C'] (NHWC) or [N, C', H, W] (NCHW).
 * @example
 * ```ts
 * import { dropBlockMultipliers, resolveSeed } from '@dropkit/ops';
 * const attrs = { rate: 0.3, blockSize: 2, dataFormat: 'NHWC' as const, perChannel: false, ...resolveSeed(3) };
 * const m = dropBlockMultipliers([1, 6, 6, 8], attrs);
 * console.log(m.shape); // [ 1, 6, 6, 1 ]
 * const kept = m.multipliers.filter((v) => v > 0);
 * console.log(kept.every((v) => v === Math.fround(36 / kept.length))); // true
 * ```
 */
export function dropBlockMultipliers(
  shape: readonly number[],
  attrs: DropBlockAttrs,
  factors?: Float64Array,
): { multipliers: Float32Array; shape: number[] } {
  const g = dropBlockGeometry(shape, attrs);
  const { n, h, w, cm, bs, hs, ws, gamma } = g;
  const seeds = n * cm * hs * ws;
  const u = uniform24(seeds, attrs);
  // gamma exceeds 1 for rates near 1 on small maps: every seed then fires.
  const plain = rateThreshold(Math.min(1, gamma));
  // dropped[(n * cm + c) * h * w + y * w + x]
  const dropped = new Uint8Array(n * cm * h * w);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < cm; k++) {
      const plane = (s * cm + k) * h * w;
      for (let i = 0; i < hs; i++) {
        for (let j = 0; j < ws; j++) {
          const e = ((s * cm + k) * hs + i) * ws + j;
          const threshold = factors
            ? rateThreshold(Math.min(1, gamma * (factors[s * hs * ws + i * ws + j] as number)))
            : plain;
          if ((u[e] as number) >= threshold) continue;
          for (let y = i; y < i + bs; y++)
            dropped.fill(1, plane + y * w + j, plane + y * w + j + bs);
        }
      }
    }
  }
  let kept = 0;
  for (let k = 0; k < dropped.length; k++) if (dropped[k] === 0) kept++;
  const scale = kept === 0 ? 0 : Math.fround(dropped.length / kept);
  const multipliers = new Float32Array(dropped.length);
  const nhwc = attrs.dataFormat === 'NHWC';
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < cm; k++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const src = ((s * cm + k) * h + y) * w + x;
          const dst = nhwc ? ((s * h + y) * w + x) * cm + k : src;
          multipliers[dst] = dropped[src] ? 0 : scale;
        }
      }
    }
  }
  return { multipliers, shape: nhwc ? [n, h, w, cm] : [n, cm, h, w] };
}

/** out = x * multiplier, the multiplier broadcast over channels when shared. */
function applyMultipliers(
  x: Float32Array,
  shape: readonly number[],
  attrs: DropBlockAttrs,
  m: Float32Array,
): Float32Array {
  const out = new Float32Array(x.length);
  const g = dropBlockGeometry(shape, attrs);
  if (attrs.perChannel) {
    for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) * (m[i] as number);
  } else if (attrs.dataFormat === 'NHWC') {
    for (let p = 0; p < g.n * g.h * g.w; p++) {
      const v = m[p] as number;
      for (let k = 0; k < g.c; k++) out[p * g.c + k] = (x[p * g.c + k] as number) * v;
    }
  } else {
    const plane = g.h * g.w;
    for (let s = 0; s < g.n; s++) {
      for (let k = 0; k < g.c; k++) {
        const off = (s * g.c + k) * plane;
        for (let q = 0; q < plane; q++)
          out[off + q] = (x[off + q] as number) * (m[s * plane + q] as number);
      }
    }
  }
  return out;
}

/**
 * The reference DropBlock on raw float32 data: x times {@link dropBlockMultipliers}, broadcast
 * over channels when the mask is shared.
 *
 * @param x - x's values, row-major in `attrs.dataFormat`.
 * @param shape - x's shape.
 * @param attrs - the kernel's attributes.
 * @returns the output values, x's shape.
 * @example
 * ```ts
 * import { dropBlockImpl, resolveSeed } from '@dropkit/ops';
 * const attrs = { rate: 0.2, blockSize: 2, dataFormat: 'NCHW' as const, perChannel: true, ...resolveSeed(1) };
 * const y = dropBlockImpl(new Float32Array(2 * 3 * 5 * 5).fill(1), [2, 3, 5, 5], attrs);
 * console.log(y.length); // 150
 * ```
 */
export function dropBlockImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: DropBlockAttrs,
): Float32Array {
  return applyMultipliers(x, shape, attrs, dropBlockMultipliers(shape, attrs).multipliers);
}

/**
 * The reference ProbDropBlock on raw float32 data: DropBlock with seed probabilities weighted by
 * the guide's salience ({@link salienceFactors}).
 *
 * @param x - the values to mask (the input forward, dy backward), row-major in `attrs.dataFormat`.
 * @param guide - the values whose salience places the seeds (the input), same shape.
 * @param shape - x's shape.
 * @param attrs - the kernel's attributes.
 * @returns the output values, x's shape.
 * @example
 * ```ts
 * import { dropBlockImpl, probDropBlockImpl, resolveSeed } from '@dropkit/ops';
 * const attrs = { rate: 0.2, blockSize: 2, dataFormat: 'NHWC' as const, perChannel: true, ...resolveSeed(1) };
 * const x = new Float32Array(1 * 6 * 6 * 2).fill(0.5); // uniform salience: DropBlock's mask
 * const a = probDropBlockImpl(x, x, [1, 6, 6, 2], attrs);
 * console.log(a.every((v, i) => v === dropBlockImpl(x, [1, 6, 6, 2], attrs)[i])); // true
 * ```
 */
export function probDropBlockImpl(
  x: Float32Array,
  guide: Float32Array,
  shape: readonly number[],
  attrs: DropBlockAttrs,
): Float32Array {
  const factors = salienceFactors(guide, dropBlockGeometry(shape, attrs), attrs.dataFormat);
  return applyMultipliers(x, shape, attrs, dropBlockMultipliers(shape, attrs, factors).multipliers);
}

const attrsOf = (attrs: NamedAttrMap | undefined) => attrs as unknown as DropBlockAttrs;

/** The cpu kernel of {@link DropkitDropBlock}. */
export const dropBlockCpuConfig: KernelConfig = unaryCpuKernel<DropBlockAttrs>(
  DropkitDropBlock,
  dropBlockImpl,
);

/** The cpu kernel of {@link DropkitProbDropBlock}. */
export const probDropBlockCpuConfig: KernelConfig = {
  kernelName: DropkitProbDropBlock,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    // The forward pass passes no guide (the guide is x itself); the backward pass passes the
    // saved input as the guide and dy as x.
    const values = readFloat32(backend, x);
    const guide = inputs.guide ? readFloat32(backend, inputs.guide as TensorInfo) : values;
    const out = probDropBlockImpl(values, guide, x.shape, attrsOf(attrs));
    return writeFloat32(backend, out, x.shape);
  },
};
