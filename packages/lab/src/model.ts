import { InvalidArgumentError } from '@dropkit/core';
import type { Dataset } from '@dropkit/datasets';
import { SeededRandom } from '@dropkit/datasets';
import { convNeXt, mlp, mlpMixer, resnet, smallCnn, vit } from '@dropkit/models';
import { tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { type ResolvedConfig, underPath } from './config.js';

// Separates the init stream from every other use of the experiment seed.
const INIT_STREAM = 0x696e6974;

function imageShape(ds: Dataset, kind: string): { imageSize: [number, number]; channels: number } {
  const [h, w, c] = ds.featureShape;
  if (ds.featureShape.length !== 3 || h === undefined || w === undefined || c === undefined) {
    throw new InvalidArgumentError(
      'config.model.kind',
      kind,
      `a model for the dataset's feature shape [${ds.featureShape.join(', ')}] (${kind} needs images [h, w, c])`,
    );
  }
  return { imageSize: [h, w], channels: c };
}

/**
 * Builds an experiment's model for its data (logits out: softmax cross-entropy or squared error is
 * applied by the run) with every dropout site at rate 0, for the schedules to drive, and its
 * weights initialized from the experiment seed alone: Glorot-uniform values drawn from
 * `SeededRandom(seed, init stream)` replace every randomly initialized weight, so a run and its
 * resumption start from the same W_0.
 *
 * @param config - a resolved config.
 * @param train - the training set (input shape, classes or target size).
 * @returns an uncompiled tfjs-layers model.
 * @throws InvalidArgumentError naming `config.model...` for options the builder refuses.
 * @example
 * ```ts
 * import { buildModel, loadExperimentData, resolveConfig } from '@dropkit/lab';
 * const config = resolveConfig({
 *   model: { kind: 'mlp', hidden: [16] },
 *   dataset: { kind: 'twoSpirals', trainSize: 40 },
 *   training: { epochs: 1, batchSize: 8 },
 *   seed: 3,
 * });
 * const { train } = await loadExperimentData(config);
 * const a = buildModel(config, train);
 * const b = buildModel(config, train);
 * console.log(a.getWeights()[0]?.dataSync()[5] === b.getWeights()[0]?.dataSync()[5]); // true
 * ```
 */
export function buildModel(config: ResolvedConfig, train: Dataset): LayersModel {
  const classes = train.numClasses ?? train.labelSize;
  const common = { classes, outputActivation: 'linear' as const, seed: config.seed, name: 'model' };
  const m = config.model;
  const model = underPath('config.model', (): LayersModel => {
    switch (m.kind) {
      case 'mlp':
        return mlp({
          ...common,
          inputShape: train.featureShape,
          hidden: m.hidden,
          ...(m.activation === undefined ? {} : { activation: m.activation }),
        });
      case 'smallCnn':
        return smallCnn({
          ...common,
          inputShape: imageShape(train, m.kind) && train.featureShape,
          ...(m.filters === undefined ? {} : { filters: m.filters }),
          ...(m.units === undefined ? {} : { units: m.units }),
        } as Parameters<typeof smallCnn>[0]);
      case 'resnet':
        return resnet({
          depth: 8,
          ...m.options,
          ...common,
          inputShape: train.featureShape,
        } as Parameters<typeof resnet>[0]);
      case 'vit':
        return vit({ ...m.options, ...common, ...imageShape(train, m.kind) } as Parameters<
          typeof vit
        >[0]);
      case 'mlpMixer':
        return mlpMixer({ ...m.options, ...common, ...imageShape(train, m.kind) } as Parameters<
          typeof mlpMixer
        >[0]);
      case 'convNeXt':
        return convNeXt({ ...m.options, ...common, ...imageShape(train, m.kind) } as Parameters<
          typeof convNeXt
        >[0]);
    }
  });
  seedWeights(model, config.seed);
  return model;
}

/** Fan-in and fan-out of a weight shape, as Keras's Glorot initializer computes them. */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [
    receptive * (shape[shape.length - 2] as number),
    receptive * (shape[shape.length - 1] as number),
  ];
}

/**
 * Replaces every weight that tfjs initialized randomly (not all equal: biases, norms' gains and
 * moving statistics are constants and stay) with seeded Glorot-uniform values: tfjs-layers'
 * initializers draw from an unseeded generator, which would make W_0 differ between runs.
 */
function seedWeights(model: LayersModel, seed: number): void {
  const rng = new SeededRandom(seed, INIT_STREAM);
  for (const w of model.weights) {
    const values = w.read().dataSync();
    let constant = true;
    for (let i = 1; i < values.length && constant; i++) constant = values[i] === values[0];
    if (constant) continue;
    const [fanIn, fanOut] = fans(w.shape as number[]);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const fresh = new Float32Array(values.length);
    for (let i = 0; i < fresh.length; i++) fresh[i] = (2 * rng.nextFloat() - 1) * limit;
    const shape = w.shape as number[];
    const t = tensor(fresh, shape);
    w.write(t);
    t.dispose();
  }
}
