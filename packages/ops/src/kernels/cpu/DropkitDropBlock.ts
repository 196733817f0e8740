import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { type DropBlockAttrs, DropkitDropBlock, DropkitProbDropBlock } from '../../kernel_names.js';
import { uniform24 } from '../../rng/noise.js';
import { readFloat32, writeFloat32 } from './io.js';

const TWO_24 = 16777216;

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

/** Reads the geometry of x (shape in `dataFormat`) for the given attributes. */
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
 * Per-sample seed probability factors of ProbDropBlock: S(n, i, j) / mean over (i, j) of S(n),
 * where S is the mean, over the bs x bs block starting at (i, j), of the salience
 * s(n, h, w) = mean over channels of |guide(n, h, w, :)|. All in float64; block sums come from a
 * summed-area table. A sample whose salience is 0 everywhere gets factor 1 (uniform).
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
    for (let k = 0; k < hs * ws; k++)
      out[base + k] = mean > 0 ? (out[base + k] as number) / mean : 1;
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
 * @returns multipliers of shape [N, H, W, C'] (NHWC) or [N, C', H, W] (NCHW).
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
  const plain = Math.round(Math.min(1, gamma) * TWO_24);
  // dropped[(n * cm + c) * h * w + y * w + x]
  const dropped = new Uint8Array(n * cm * h * w);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < cm; k++) {
      const plane = (s * cm + k) * h * w;
      for (let i = 0; i < hs; i++) {
        for (let j = 0; j < ws; j++) {
          const e = ((s * cm + k) * hs + i) * ws + j;
          const threshold = factors
            ? Math.round(
                Math.min(1, gamma * (factors[s * hs * ws + i * ws + j] as number)) * TWO_24,
              )
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

/** The reference DropBlock. */
export function dropBlockImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: DropBlockAttrs,
): Float32Array {
  return applyMultipliers(x, shape, attrs, dropBlockMultipliers(shape, attrs).multipliers);
}

/** The reference ProbDropBlock: DropBlock with seed probabilities weighted by the guide's salience. */
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
export const dropBlockCpuConfig: KernelConfig = {
  kernelName: DropkitDropBlock,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    return writeFloat32(
      backend,
      dropBlockImpl(readFloat32(backend, x), x.shape, attrsOf(attrs)),
      x.shape,
    );
  },
};

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
