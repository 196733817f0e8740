import { add, log, logSoftmax, mul, neg, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';

/**
 * Categorical cross-entropy of logits, per example: -Σ y log softmax(z) over the last axis. Built
 * from `tf.logSoftmax`, whose second derivative this package's exact Hessian-vector products get
 * right; `tf.losses.softmaxCrossEntropy` (a `tf.customGrad`) and tfjs-layers'
 * `categoricalCrossentropy` (a clip without second derivative) do not double-backprop and send
 * the curvature measures to finite differences.
 *
 * @param yTrue - one-hot (or soft) targets, [..., classes].
 * @param logits - the model's outputs before softmax, same shape.
 * @returns the per-example losses, the last axis reduced.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { crossEntropyFromLogits } from '@dropkit/diagnostics';
 * const loss = crossEntropyFromLogits(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 0]]));
 * console.log(loss.dataSync()[0].toFixed(4)); // 0.6931
 * ```
 */
export function crossEntropyFromLogits(yTrue: Tensor, logits: Tensor): Tensor {
  return tidy(() => neg(sum(mul(yTrue, logSoftmax(logits)), -1)));
}

/**
 * Categorical cross-entropy of probabilities (a softmax output layer), per example:
 * -Σ y log(p + epsilon) over the last axis. The same loss as tfjs-layers'
 * `categoricalCrossentropy` up to its clipping (which differs only where p < epsilon), written
 * so that it has a second derivative: pass it as `objectiveFromModel(model, {loss})` to get exact
 * Hessian-vector products for a softmax classifier.
 *
 * @param yTrue - one-hot (or soft) targets, [..., classes].
 * @param probabilities - the model's softmax outputs, same shape.
 * @param epsilon - keeps log away from 0. Default 1e-7 (Keras's epsilon).
 * @returns the per-example losses, the last axis reduced.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { crossEntropyFromProbabilities } from '@dropkit/diagnostics';
 * const loss = crossEntropyFromProbabilities(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.5, 0.5]]));
 * console.log(loss.dataSync()[0].toFixed(4)); // 0.6931
 * ```
 */
export function crossEntropyFromProbabilities(
  yTrue: Tensor,
  probabilities: Tensor,
  epsilon = 1e-7,
): Tensor {
  return tidy(() => neg(sum(mul(yTrue, log(add(probabilities, epsilon))), -1)));
}
