import { InvalidArgumentError } from '@dropkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Options of {@link parameterCount}. */
export interface ParameterCountOptions {
  /** Count only trainable weights (leave out e.g. batch-norm moving statistics). Default false. */
  readonly trainableOnly?: boolean;
}

/**
 * The number of scalar parameters of a model, every weight counted once (a shared layer too);
 * like the "Total params" line of `model.summary()`, or its "Trainable params" with
 * `trainableOnly`.
 *
 * @param model - a tfjs-layers model (or any layer).
 * @param options - {@link ParameterCountOptions}.
 * @returns the number of parameters.
 * @example
 * ```ts
 * import { mlp, parameterCount } from '@dropkit/models';
 * const net = mlp({ inputShape: [4], hidden: [8], classes: 3 });
 * console.log(parameterCount(net)); // 67
 * ```
 */
export function parameterCount(
  model: Pick<LayersModel, 'weights' | 'trainableWeights'>,
  options: ParameterCountOptions = {},
): number {
  if (model === null || typeof model !== 'object' || !Array.isArray(model.weights)) {
    throw new InvalidArgumentError('model', model, 'a tfjs-layers model or layer');
  }
  const weights = options.trainableOnly ? model.trainableWeights : model.weights;
  const seen = new Set<number>();
  let total = 0;
  for (const w of weights) {
    if (seen.has(w.id)) continue;
    seen.add(w.id);
    total += w.shape.reduce<number>((a, d) => a * (d ?? 0), 1);
  }
  return total;
}
