import { InvalidArgumentError } from '@dropkit/core';
import {
  input,
  type LayersModel,
  layers,
  model,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import {
  type CommonOptions,
  checkCommon,
  checkInputShape,
  positiveInt,
  rate,
} from './arguments.js';
import { call, classifierHead, dropoutSite } from './graph.js';
import { registerModels } from './registerModels.js';

/** Hidden activations {@link mlp} accepts. */
export type MlpActivation = 'relu' | 'gelu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'swish';

const ACTIVATIONS: readonly MlpActivation[] = [
  'relu',
  'gelu',
  'tanh',
  'sigmoid',
  'elu',
  'selu',
  'swish',
];

/** Options of {@link mlp}. */
export interface MlpOptions extends CommonOptions {
  /** Shape of one example without the batch axis; inputs of rank > 1 are flattened first. */
  readonly inputShape: readonly number[];
  /** Width of each hidden layer, input side first; may be empty (a linear classifier). */
  readonly hidden: readonly number[];
  /** Dropout rate after each hidden activation, in [0, 1). Default 0. */
  readonly dropout?: number;
  /** Hidden activation. Default `relu`. */
  readonly activation?: MlpActivation;
}

/**
 * A multilayer perceptron: (flatten), then per hidden layer a dense layer `hidden{i}/dense` with
 * the activation and a dropout site `hidden{i}/drop`, then the classifier `head`.
 *
 * @param options - {@link MlpOptions}.
 * @returns an uncompiled `LayersModel`.
 * @throws InvalidArgumentError on a bad shape, width, rate or activation.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mlp, parameterCount } from '@dropkit/models';
 * const net = mlp({ inputShape: [28, 28], hidden: [64, 32], classes: 10, dropout: 0.2 });
 * console.log(parameterCount(net)); // 52650
 * console.log(net.getLayer('hidden1/drop').rate); // 0.2
 * ```
 */
export function mlp(options: MlpOptions): LayersModel {
  const common = checkCommon(options, 'mlp');
  const inputShape = checkInputShape('inputShape', options.inputShape);
  if (!Array.isArray(options.hidden)) {
    throw new InvalidArgumentError('hidden', options.hidden, 'an array of positive integers');
  }
  const hidden = options.hidden.map((h, i) => positiveInt(`hidden[${i}]`, h));
  const p = rate('dropout', options.dropout);
  const activation = options.activation ?? 'relu';
  if (!ACTIVATIONS.includes(activation)) {
    throw new InvalidArgumentError(
      'activation',
      activation,
      `one of ${ACTIVATIONS.map((a) => `"${a}"`).join(', ')}`,
    );
  }
  registerModels();
  const inp = input({ shape: inputShape, name: 'input' });
  let x: SymbolicTensor = inp;
  if (inputShape.length > 1) x = call(layers.flatten({ name: 'flatten' }), x);
  hidden.forEach((units, i) => {
    x = call(layers.dense({ units, activation, name: `hidden${i}/dense` }), x);
    x = call(dropoutSite(`hidden${i}/drop`, p, common.seeds), x);
  });
  return model({ inputs: inp, outputs: classifierHead(x, common), name: common.name });
}
