import { assertFinite, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { Dataset, datasetFields, trustedDataset } from './Dataset.js';
import { gatherFeatures } from './gather.js';

/**
 * How {@link fitNormalization} maps features:
 * - `'standard'`: `(x - mean) / std`, population std (divide by n, as scikit-learn's
 *   StandardScaler); a constant feature (std 0) is only centred.
 * - `'minmax'`: `(x - min) / (max - min)`, to [0, 1] on the fitted set; a constant feature is
 *   only shifted to 0.
 * - `'scale'`: `x / maxValue` (default 255): images to [0, 1]; nothing is estimated.
 */
export type NormalizationMethod = 'standard' | 'minmax' | 'scale';

/** Options of {@link fitNormalization} and {@link normalize}. */
export interface NormalizationOptions {
  /** The map, see {@link NormalizationMethod}. Default `'standard'`. */
  readonly method?: NormalizationMethod;
  /**
   * What one statistic covers: each feature element (`'feature'`, default), each channel, the
   * last axis of `featureShape` (`'channel'`, e.g. RGB of NHWC images), or all values (`'all'`).
   */
  readonly per?: 'feature' | 'channel' | 'all';
  /** The divisor of `'scale'`, a finite number > 0. Default 255. */
  readonly maxValue?: number;
}

/** A serializable form of a {@link Normalization}, e.g. to store with a checkpoint. */
export interface NormalizationJSON {
  readonly method: NormalizationMethod;
  readonly shift: number[];
  readonly scale: number[];
}

/**
 * A fitted per-element affine map `(x - shift) * scale`, to apply to the split it was fitted on
 * and, unchanged, to every other split.
 *
 * @example
 * ```ts
 * import { Dataset, fitNormalization } from '@dropkit/datasets';
 * const train = new Dataset({ features: [0, 10, 2, 30], featureShape: [2], labels: [0, 0] });
 * const norm = fitNormalization(train);
 * console.log(Array.from(norm.shift), Array.from(norm.scale)); // [ 1, 20 ] [ 1, 0.1 ]
 * ```
 */
export class Normalization {
  /** The method it was fitted with. */
  readonly method: NormalizationMethod;
  /** Subtracted from each feature element (on the values as the fitted set reads them). */
  readonly shift: Float64Array;
  /** Then multiplied in; never 0. */
  readonly scale: Float64Array;

  /**
   * @param method - the method it was fitted with.
   * @param shift - one entry per feature element, finite.
   * @param scale - one entry per feature element, finite and non-zero.
   * @throws InvalidArgumentError for lengths that differ or entries that are not finite.
   */
  constructor(method: NormalizationMethod, shift: Float64Array, scale: Float64Array) {
    this.method = assertOneOf('method', method, ['standard', 'minmax', 'scale'] as const);
    if (shift.length !== scale.length) {
      throw new InvalidArgumentError(
        'scale.length',
        scale.length,
        `shift.length (${shift.length})`,
      );
    }
    shift.forEach((v, j) => {
      assertFinite(`shift[${j}]`, v);
    });
    scale.forEach((v, j) => {
      if (!Number.isFinite(v) || v === 0) {
        throw new InvalidArgumentError(`scale[${j}]`, v, 'a finite non-zero number');
      }
    });
    this.shift = shift;
    this.scale = scale;
  }

  /**
   * Returns `dataset` with this map applied after its current transform, without copying the
   * features (the map runs when batches are made).
   *
   * @param dataset - a dataset with as many feature elements as the fitted one.
   * @returns the normalized dataset.
   * @throws InvalidArgumentError when the feature size differs.
   * @example
   * ```ts
   * import { Dataset, fitNormalization } from '@dropkit/datasets';
   * const train = new Dataset({ features: [0, 4], featureShape: [1], labels: [0, 0] });
   * const test = new Dataset({ features: [6], featureShape: [1], labels: [0] });
   * console.log(fitNormalization(train).apply(test).featureValues()); // Float32Array(1) [ 2 ]
   * ```
   */
  apply(dataset: Dataset): Dataset {
    const f = dataset.featureSize;
    if (f !== this.shift.length) {
      throw new InvalidArgumentError(
        'dataset.featureSize',
        f,
        `${this.shift.length}, the feature size this normalization was fitted on`,
      );
    }
    const shift = new Float64Array(f);
    const scale = new Float64Array(f);
    const prior = dataset.transform;
    for (let j = 0; j < f; j++) {
      const s2 = this.shift[j] as number;
      const c2 = this.scale[j] as number;
      if (prior) {
        // ((x - s1) c1 - s2) c2 = (x - (s1 + s2 / c1)) (c1 c2)
        const s1 = prior.shift[j] as number;
        const c1 = prior.scale[j] as number;
        shift[j] = s1 + s2 / c1;
        scale[j] = c1 * c2;
      } else {
        shift[j] = s2;
        scale[j] = c2;
      }
    }
    return trustedDataset({ ...datasetFields(dataset), transform: { shift, scale } });
  }

  /**
   * A plain-object form, for JSON.
   *
   * @returns {@link NormalizationJSON}.
   * @example
   * ```ts
   * import { Normalization } from '@dropkit/datasets';
   * const n = new Normalization('scale', new Float64Array([0]), new Float64Array([0.5]));
   * console.log(JSON.stringify(n)); // {"method":"scale","shift":[0],"scale":[0.5]}
   * ```
   */
  toJSON(): NormalizationJSON {
    return { method: this.method, shift: Array.from(this.shift), scale: Array.from(this.scale) };
  }

  /**
   * The inverse of {@link Normalization.toJSON}.
   *
   * @param json - {@link NormalizationJSON}.
   * @returns the normalization.
   * @example
   * ```ts
   * import { Normalization } from '@dropkit/datasets';
   * const n = Normalization.fromJSON({ method: 'standard', shift: [1], scale: [2] });
   * console.log(n.scale); // Float64Array(1) [ 2 ]
   * ```
   */
  static fromJSON(json: NormalizationJSON): Normalization {
    return new Normalization(
      json.method,
      Float64Array.from(json.shift),
      Float64Array.from(json.scale),
    );
  }
}

/**
 * Fits a {@link Normalization} on one dataset, normally the training split (statistics in
 * float64, over the values as that dataset reads them, its own transform included).
 *
 * @param train - the dataset the statistics come from.
 * @param options - {@link NormalizationOptions}.
 * @returns the fitted normalization.
 * @throws InvalidArgumentError for an empty dataset (except with `'scale'`), an unknown method or
 *   grouping, or a bad `maxValue`.
 * @example
 * ```ts
 * import { Dataset, fitNormalization } from '@dropkit/datasets';
 * const train = new Dataset({ features: [2, 4, 6], featureShape: [1], labels: [0, 0, 0] });
 * console.log(fitNormalization(train, { method: 'minmax' }).apply(train).featureValues()); // Float32Array(3) [ 0, 0.5, 1 ]
 * ```
 */
export function fitNormalization(
  train: Dataset,
  options: NormalizationOptions = {},
): Normalization {
  const method = assertOneOf('method', options.method ?? 'standard', [
    'standard',
    'minmax',
    'scale',
  ] as const);
  const per = assertOneOf('per', options.per ?? 'feature', ['feature', 'channel', 'all'] as const);
  const f = train.featureSize;
  if (method === 'scale') {
    const maxValue = options.maxValue ?? 255;
    if (typeof maxValue !== 'number' || !Number.isFinite(maxValue) || maxValue <= 0) {
      throw new InvalidArgumentError('maxValue', maxValue, 'a finite number > 0');
    }
    return new Normalization(method, new Float64Array(f), new Float64Array(f).fill(1 / maxValue));
  }
  if (train.size === 0) {
    throw new InvalidArgumentError('train.size', 0, 'at least one example to fit statistics on');
  }
  // group[j]: which statistic feature element j belongs to.
  const channels = train.featureShape[train.featureShape.length - 1] ?? 1;
  const groups = per === 'feature' ? f : per === 'channel' ? channels : 1;
  const groupOf = (j: number) => (per === 'feature' ? j : per === 'channel' ? j % channels : 0);
  const n = train.size;
  // One example at a time, so fitting on 60,000 images needs no second copy of the set.
  const row = new Float32Array(f);
  const each = (visit: (row: Float32Array) => void) => {
    const index = new Uint32Array(1);
    for (let i = 0; i < n; i++) {
      index[0] = i;
      gatherFeatures(train.features, f, train.transform, index, 0, 1, row);
      visit(row);
    }
  };
  const shiftG = new Float64Array(groups);
  const scaleG = new Float64Array(groups).fill(1);
  if (method === 'standard') {
    const sum = new Float64Array(groups);
    const count = new Float64Array(groups);
    each((r) => {
      for (let j = 0; j < f; j++) {
        const g = groupOf(j);
        sum[g] = (sum[g] as number) + (r[j] as number);
        count[g] = (count[g] as number) + 1;
      }
    });
    for (let g = 0; g < groups; g++) shiftG[g] = (sum[g] as number) / (count[g] as number);
    // Two passes: the centred sum of squares does not cancel catastrophically.
    const ss = new Float64Array(groups);
    each((r) => {
      for (let j = 0; j < f; j++) {
        const g = groupOf(j);
        const d = (r[j] as number) - (shiftG[g] as number);
        ss[g] = (ss[g] as number) + d * d;
      }
    });
    for (let g = 0; g < groups; g++) {
      const std = Math.sqrt((ss[g] as number) / (count[g] as number));
      if (std > 0) scaleG[g] = 1 / std;
    }
  } else {
    const lo = new Float64Array(groups).fill(Number.POSITIVE_INFINITY);
    const hi = new Float64Array(groups).fill(Number.NEGATIVE_INFINITY);
    each((r) => {
      for (let j = 0; j < f; j++) {
        const g = groupOf(j);
        const v = r[j] as number;
        if (v < (lo[g] as number)) lo[g] = v;
        if (v > (hi[g] as number)) hi[g] = v;
      }
    });
    for (let g = 0; g < groups; g++) {
      shiftG[g] = lo[g] as number;
      const range = (hi[g] as number) - (lo[g] as number);
      if (range > 0) scaleG[g] = 1 / range;
    }
  }
  const shift = new Float64Array(f);
  const scale = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    shift[j] = shiftG[groupOf(j)] as number;
    scale[j] = scaleG[groupOf(j)] as number;
  }
  return new Normalization(method, shift, scale);
}

/**
 * Fits a normalization on `splits.train` only and applies it to every split, so no statistic of
 * the validation or test data leaks into training.
 *
 * @param splits - datasets by name; `train` is required (e.g. the result of `Dataset.split`).
 * @param options - {@link NormalizationOptions}.
 * @returns the same keys, each dataset normalized with the train statistics.
 * @throws InvalidArgumentError when `train` is missing or an entry is not a Dataset.
 * @example
 * ```ts
 * import { loadIris, normalize } from '@dropkit/datasets';
 * const { train, test } = normalize(loadIris().split({ train: 0.8, test: 0.2, seed: 1 }));
 * console.log(train.size, test.size); // 120 30
 * ```
 */
export function normalize<T extends { readonly train: Dataset }>(
  splits: T,
  options: NormalizationOptions = {},
): { [K in keyof T]: Dataset } {
  if (!(splits?.train instanceof Dataset)) {
    throw new InvalidArgumentError('splits.train', splits?.train, 'a Dataset');
  }
  const norm = fitNormalization(splits.train, options);
  const out: Record<string, Dataset> = {};
  for (const [key, ds] of Object.entries(splits)) {
    if (!(ds instanceof Dataset)) throw new InvalidArgumentError(`splits.${key}`, ds, 'a Dataset');
    out[key] = norm.apply(ds);
  }
  return out as { [K in keyof T]: Dataset };
}
