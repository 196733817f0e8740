import { InvalidArgumentError } from '@dropkit/core';
import { parameterCount, vit } from '@dropkit/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A model the training benchmarks can run: MNIST-shaped input (28x28x1), 10 classes, logits. */
export interface BenchModel {
  /** The name `--model` takes. */
  readonly name: string;
  /** What it is, for the report. */
  readonly description: string;
  /**
   * True for the full-size model the issues state their targets for; a smaller one is for smoke
   * runs (`--quick`) and its verdicts are "not judged".
   */
  readonly targetModel: boolean;
  /**
   * Builds a fresh, uncompiled model with every dropout rate 0 and seeded dropout sites.
   *
   * @param seed - the seed of the first dropout site (the k-th gets seed + k).
   */
  readonly build: (seed: number) => LayersModel;
}

const vitOf =
  (depth: number, width: number, heads: number) =>
  (seed: number): LayersModel =>
    vit({
      imageSize: 28,
      channels: 1,
      classes: 10,
      patchSize: 4,
      depth,
      width,
      heads,
      outputActivation: 'linear',
      seed,
    });

/** The models `--model` accepts; the first is the default. */
export const BENCH_MODELS: readonly BenchModel[] = [
  {
    name: 'vit-tiny',
    description:
      'ViT-Tiny (width 192, depth 12, 3 heads, MLP ratio 4), patch 4 on 28x28x1, 10 classes',
    targetModel: true,
    build: vitOf(12, 192, 3),
  },
  {
    name: 'vit-micro',
    description:
      'a tiny ViT for smoke runs (width 32, depth 2, 2 heads, MLP ratio 4), patch 4 on 28x28x1, 10 classes; not ViT-Tiny',
    targetModel: false,
    build: vitOf(2, 32, 2),
  },
];

/**
 * The benchmark model of this name.
 *
 * @param name - a name from {@link BENCH_MODELS}.
 * @returns the model entry.
 * @throws InvalidArgumentError naming `--model` and listing the names.
 */
export function getBenchModel(name: string): BenchModel {
  const entry = BENCH_MODELS.find((m) => m.name === name);
  if (entry === undefined) {
    throw new InvalidArgumentError(
      '--model',
      name,
      `one of ${BENCH_MODELS.map((m) => `"${m.name}"`).join(', ')}`,
    );
  }
  return entry;
}

/**
 * The trainable parameter count of a built model (each weight once).
 *
 * @param model - the model.
 */
export function trainableParameters(model: LayersModel): number {
  return parameterCount(model, { trainableOnly: true });
}
