import { SeededRandom } from '@dropkit/datasets';
import { mlp, smallCnn, vit } from '@dropkit/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { DemoData } from '../data/loadDemoData.ts';
import type { ModelName } from './runConfig.ts';

// Separates the initialization stream from every other use of a run's seed.
const INIT_STREAM = 0x696e6974;

/**
 * Runs `build` with `Math.random` replaced by a generator of `seed`, then puts it back.
 *
 * tfjs's random initializers (Glorot, He, truncated normal...) seed their own generator from
 * `Math.random()` when the layer has no seed, which makes W_0 differ between runs. Seeding that one
 * call, for the length of a synchronous build, keeps each layer's own initializer and its scale
 * (the ViT's 0.02 truncated normal stays one), and gives the same weights on every backend, since
 * tfjs draws random tensors in JavaScript.
 */
function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const rng = new SeededRandom(seed, INIT_STREAM);
  const original = Math.random;
  Math.random = () => rng.nextFloat();
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

/**
 * Builds a run's model for its data, with logits out and every dropout site at rate 0 for the
 * schedule to drive: an MLP (hidden 128-128 on MNIST, 64-64 on the plane sets), a ViT for 28x28
 * images (patch 7, depth 2, width 32, 2 heads, MLP ratio 2) or the small CNN with 8 and 16
 * filters and 64 units. Dropout site k is seeded `seed + k` and the weights come from `seed`
 * alone: the same seed builds the same model.
 *
 * @param model - `mlp`, `vit` or `cnn`.
 * @param data - the data set (input shape, classes).
 * @param seed - the run's seed.
 * @returns an uncompiled tfjs-layers model.
 * @throws InvalidArgumentError (from `@dropkit/models`) for a ViT or CNN on data that are not images.
 * @example
 * ```ts
 * import { buildDemoModel } from '@dropkit/demo/training';
 * import { loadDemoData } from '@dropkit/demo/data';
 * const data = await loadDemoData('blobs');
 * const a = buildDemoModel('mlp', data, 3);
 * const b = buildDemoModel('mlp', data, 3);
 * console.log(a.getWeights()[0]?.dataSync()[7] === b.getWeights()[0]?.dataSync()[7]); // true
 * a.dispose();
 * b.dispose();
 * ```
 */
export function buildDemoModel(model: ModelName, data: DemoData, seed: number): LayersModel {
  const common = {
    classes: data.numClasses,
    outputActivation: 'linear' as const,
    seed,
    name: model,
  };
  return withSeededMathRandom(seed, () => {
    switch (model) {
      case 'mlp':
        return mlp({
          ...common,
          inputShape: data.featureShape,
          hidden: data.images ? [128, 128] : [64, 64],
        });
      case 'cnn':
        return smallCnn({
          ...common,
          inputShape: data.featureShape as [number, number, number],
          filters: [8, 16],
          units: 64,
        });
      case 'vit': {
        const [size, , channels] = data.featureShape;
        return vit({
          ...common,
          imageSize: size as number,
          channels: channels as number,
          patchSize: 7,
          depth: 2,
          width: 32,
          heads: 2,
          mlpRatio: 2,
        });
      }
    }
  });
}
