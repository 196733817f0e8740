import { assertFinite, InvalidArgumentError } from '@dropkit/core';
import {
  concat,
  matMul,
  reshape,
  type Tensor,
  tensor1d,
  tensor2d,
  tidy,
} from '@tensorflow/tfjs-core';
import { heatmapSvg } from './heatmapSvg.js';
import { readAndDispose } from './parameterTools.js';

/** A dense layer's weights: kernel [inputs, units] (the tfjs layout) and optional bias [units]. */
export interface DenseWeights {
  readonly kernel: Tensor | readonly (readonly number[])[];
  readonly bias?: Tensor | readonly number[];
}

/** The part of a tfjs-layers `Dense` layer this package uses (`getWeights()` = [kernel, bias?]). */
export interface DenseLayerLike {
  getWeights(): Tensor[];
}

/** What {@link neuronCosineSimilarity} and {@link condensation} return for the matrix. */
export interface CosineMatrix {
  /** n x n, symmetric, entries in [-1, 1], diagonal 1 (0 for a zero-norm neuron). */
  readonly matrix: number[][];
  /** The indices of neurons whose input weight vector is exactly zero (no direction). */
  readonly zeroNeurons: number[];
}

function isLayer(x: DenseWeights | DenseLayerLike): x is DenseLayerLike {
  return typeof (x as DenseLayerLike).getWeights === 'function';
}

/** The neurons' input weight vectors as columns: the kernel with the bias appended as a row. */
function augmentedWeights(source: DenseWeights | DenseLayerLike): Tensor {
  return tidy(() => {
    let kernelIn: DenseWeights['kernel'];
    let biasIn: DenseWeights['bias'];
    if (isLayer(source)) {
      // getWeights() hands out the layer's live variables' values: read, never dispose, them.
      const w = source.getWeights();
      kernelIn = w[0] as Tensor;
      biasIn = w[1];
    } else {
      kernelIn = source.kernel;
      biasIn = source.bias;
    }
    const kernel = isTensor(kernelIn) ? kernelIn : tensorFrom2d(kernelIn, 'kernel');
    if (kernel.rank !== 2) {
      throw new InvalidArgumentError(
        'kernel.shape',
        kernel.shape,
        'a rank-2 [inputs, units] kernel',
      );
    }
    const units = kernel.shape[1] as number;
    if (biasIn === undefined) return kernel.clone();
    const bias = isTensor(biasIn) ? biasIn : tensorFrom1d(biasIn, 'bias');
    if (bias.size !== units) {
      throw new InvalidArgumentError('bias.shape', bias.shape, `[${units}], one per unit`);
    }
    return concat([kernel, reshape(bias, [1, units])], 0);
  });
}

const isTensor = (x: unknown): x is Tensor =>
  x !== null &&
  typeof x === 'object' &&
  Array.isArray((x as Tensor).shape) &&
  typeof (x as Tensor).dataSync === 'function';

function tensorFrom2d(rows: readonly (readonly number[])[], name: string): Tensor {
  if (
    !Array.isArray(rows) ||
    rows.length === 0 ||
    !rows.every((r) => Array.isArray(r) && r.length === rows[0]?.length && r.length > 0)
  ) {
    throw new InvalidArgumentError(
      name,
      rows,
      'a non-empty rectangular number[][] or a rank-2 tensor',
    );
  }
  rows.forEach((r: readonly number[], i) => {
    r.forEach((v: number, j) => {
      assertFinite(`${name}[${i}][${j}]`, v);
    });
  });
  return tensor2d(
    rows.map((r) => [...r]),
    [rows.length, (rows[0] as readonly number[]).length],
    'float32',
  );
}

function tensorFrom1d(values: readonly number[], name: string): Tensor {
  if (!Array.isArray(values))
    throw new InvalidArgumentError(name, values, 'a number[] or a tensor');
  values.forEach((v: number, i) => {
    assertFinite(`${name}[${i}]`, v);
  });
  return tensor1d([...values], 'float32');
}

/**
 * The cosine-similarity matrix of a dense layer's neurons: neuron j's input weight vector is
 * column j of the kernel with its bias appended (Zhang & Xu's convention). Dot products come
 * from one matMul; the normalization is done in float64, then the matrix is symmetrized, its
 * diagonal set to 1 and its entries clipped to [-1, 1], so rounding never breaks those
 * properties. A neuron with an all-zero vector has no direction: cosine 0 with every other
 * neuron and with itself, listed in `zeroNeurons`.
 *
 * @param source - a tfjs-layers Dense layer, or `{kernel, bias?}` as tensors or arrays.
 * @returns the matrix as plain arrays.
 * @throws InvalidArgumentError for a kernel that is not rank 2 or a bias of the wrong length.
 * @example
 * ```ts
 * import { neuronCosineSimilarity } from '@dropkit/diagnostics';
 * // two inputs, three units; with the bias, unit 1 is unit 0 scaled by 2, unit 2 its negation
 * const { matrix } = await neuronCosineSimilarity({ kernel: [[1, 2, -1], [0, 0, 0]], bias: [1, 2, -1] });
 * console.log(matrix.map((row) => row.map((c) => c.toFixed(2)).join(' ')).join(' / ')); // 1.00 1.00 -1.00 / 1.00 1.00 -1.00 / -1.00 -1.00 1.00
 * ```
 */
export async function neuronCosineSimilarity(
  source: DenseWeights | DenseLayerLike,
): Promise<CosineMatrix> {
  const w = augmentedWeights(source);
  const units = w.shape[1] as number;
  const gram = await readAndDispose(tidy(() => matMul(w, w, true, false)));
  w.dispose();
  const norms = Array.from({ length: units }, (_, i) => Math.sqrt(gram[i * units + i] as number));
  const zeroNeurons = norms.flatMap((n, i) => (n > 0 ? [] : [i]));
  const matrix: number[][] = Array.from({ length: units }, () => new Array<number>(units).fill(0));
  for (let i = 0; i < units; i++) {
    const row = matrix[i] as number[];
    const ni = norms[i] as number;
    if (!(ni > 0)) continue;
    row[i] = 1;
    for (let j = 0; j < i; j++) {
      const nj = norms[j] as number;
      if (!(nj > 0)) continue;
      const dot = ((gram[i * units + j] as number) + (gram[j * units + i] as number)) / 2;
      const c = Math.max(-1, Math.min(1, dot / (ni * nj)));
      row[j] = c;
      (matrix[j] as number[])[i] = c;
    }
  }
  return { matrix, zeroNeurons };
}

/** Options of {@link condensation} and {@link condensationClusters}. */
export interface CondensationOptions {
  /** Two neurons share an orientation when |cos| >= threshold, in (0, 1]. Default 0.95. */
  readonly threshold?: number;
}

/** Orientation clusters of a cosine matrix and the condensation score. */
export interface CondensationClusters {
  /** The clusters, each a sorted list of neuron indices; largest first, ties by first index. */
  readonly clusters: number[][];
  /** The number of clusters (singletons included): n when nothing condensed, 1 when all did. */
  readonly clusterCount: number;
  /** The fraction of neurons in the largest cluster, in [1/n, 1]. */
  readonly largestClusterFraction: number;
  /** The neurons in cluster order (largest cluster first): the heat map's order. */
  readonly order: number[];
  /** The threshold used. */
  readonly threshold: number;
}

/** What {@link condensation} returns: the matrix and its clusters. */
export interface CondensationReport extends CosineMatrix, CondensationClusters {
  /** The number of neurons n. */
  readonly units: number;
}

function validThreshold(value: unknown): number {
  const t = assertFinite('threshold', value);
  if (!(t > 0 && t <= 1)) throw new InvalidArgumentError('threshold', t, 'a number in (0, 1]');
  return t;
}

/**
 * Groups neurons into orientation clusters: the connected components of the graph linking i and
 * j when |cos(w_i, w_j)| >= threshold (single linkage, by union-find; the result does not depend
 * on neuron order). |cos| puts opposite directions in one cluster: they span one line, which is
 * what condensation means. Single linkage can chain: neurons drifting by small steps join one
 * cluster even when its ends are far apart, so a low count is only condensation where the heat
 * map shows blocks. A zero neuron is its own cluster.
 *
 * @param matrix - a symmetric cosine matrix, e.g. from {@link neuronCosineSimilarity}.
 * @param options - {@link CondensationOptions}.
 * @returns the clusters and the score (count, largest fraction).
 * @throws InvalidArgumentError for a matrix that is not square or a threshold outside (0, 1].
 * @example
 * ```ts
 * import { condensationClusters } from '@dropkit/diagnostics';
 * const r = condensationClusters([[1, 0.99, 0], [0.99, 1, 0], [0, 0, 1]]);
 * console.log(r.clusters, r.clusterCount, r.largestClusterFraction.toFixed(3)); // [ [ 0, 1 ], [ 2 ] ] 2 0.667
 * ```
 */
export function condensationClusters(
  matrix: readonly (readonly number[])[],
  options: CondensationOptions = {},
): CondensationClusters {
  const threshold = validThreshold(options.threshold ?? 0.95);
  const n = matrix.length;
  if (n === 0 || !matrix.every((row) => Array.isArray(row) && row.length === n)) {
    throw new InvalidArgumentError('matrix', `${n} rows`, 'a non-empty square n x n matrix');
  }
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    // Path compression keeps later look-ups flat.
    let c = i;
    while (parent[c] !== r) {
      const next = parent[c] as number;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const c = (matrix[i] as readonly number[])[j] as number;
      if (Number.isNaN(c)) throw new InvalidArgumentError(`matrix[${i}][${j}]`, c, 'a number');
      if (Math.abs(c) >= threshold) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  const clusters = [...byRoot.values()].sort(
    (a, b) => b.length - a.length || (a[0] as number) - (b[0] as number),
  );
  return {
    clusters,
    clusterCount: clusters.length,
    largestClusterFraction: (clusters[0] as number[]).length / n,
    order: clusters.flat(),
    threshold,
  };
}

/**
 * Condensation of a dense layer (Zhang & Xu): the cosine-similarity matrix of its neurons' input
 * weights (bias appended) and the condensation score, the number of orientation clusters at
 * |cos| >= threshold and the fraction of neurons in the largest one. Condensed layers show few
 * clusters; at a random initialization nearly every neuron is its own cluster.
 *
 * @param source - a tfjs-layers Dense layer, or `{kernel, bias?}` as tensors or arrays.
 * @param options - {@link CondensationOptions}.
 * @returns the matrix, its clusters and the score, plain numbers.
 * @throws InvalidArgumentError for malformed weights or a threshold outside (0, 1].
 * @example
 * ```ts
 * import { condensation } from '@dropkit/diagnostics';
 * const r = await condensation({ kernel: [[1, 2, 0, 1], [1, 2, 1, 1]] });
 * console.log(r.units, r.clusterCount, r.largestClusterFraction); // 4 2 0.75
 * ```
 */
export async function condensation(
  source: DenseWeights | DenseLayerLike,
  options: CondensationOptions = {},
): Promise<CondensationReport> {
  const threshold = validThreshold(options.threshold ?? 0.95);
  const cos = await neuronCosineSimilarity(source);
  return { ...cos, ...condensationClusters(cos.matrix, { threshold }), units: cos.matrix.length };
}

/** Options of {@link condensationHeatmap}. */
export interface CondensationHeatmapOptions {
  /** The side of one cell in pixels. Default 8. */
  readonly cellSize?: number;
  /** Order rows and columns by cluster, so clusters show as blocks. Default true. */
  readonly orderByCluster?: boolean;
  /** A title for the SVG. */
  readonly title?: string;
}

/** The exports of a condensation measurement: the heat map and the raw matrix. */
export interface CondensationHeatmap {
  /** The heat map, an SVG document. */
  readonly svg: string;
  /** The raw cosine matrix, in the layer's neuron order. */
  readonly matrix: number[][];
  /** The neuron shown in each row and column of the SVG. */
  readonly order: number[];
}

/**
 * Exports a {@link condensation} report as a heat map (an SVG string, rows and columns ordered by
 * cluster by default) together with the raw matrix in neuron order.
 *
 * @param report - a condensation report.
 * @param options - {@link CondensationHeatmapOptions}.
 * @returns `{svg, matrix, order}`.
 * @example
 * ```ts
 * import { condensation, condensationHeatmap } from '@dropkit/diagnostics';
 * const report = await condensation({ kernel: [[1, 0, 1], [0, 1, 0]] });
 * const { svg, order } = condensationHeatmap(report, { title: 'dense_1' });
 * console.log(order, svg.includes('<title>dense_1</title>')); // [ 0, 2, 1 ] true
 * ```
 */
export function condensationHeatmap(
  report: CondensationReport,
  options: CondensationHeatmapOptions = {},
): CondensationHeatmap {
  const order =
    (options.orderByCluster ?? true)
      ? report.order
      : Array.from({ length: report.matrix.length }, (_, i) => i);
  const svg = heatmapSvg(report.matrix, {
    order,
    ...(options.cellSize !== undefined ? { cellSize: options.cellSize } : {}),
    ...(options.title !== undefined ? { title: options.title } : {}),
  });
  return { svg, matrix: report.matrix, order: [...order] };
}
