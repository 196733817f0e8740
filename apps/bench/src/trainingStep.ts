import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** One batch of a classification set: float32 images and one-hot float32 labels. */
export interface TrainingBatch {
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
}

/**
 * One optimizer step of a model that outputs logits: forward in training mode (dropout on at the
 * layers' current rates), softmax cross-entropy against one-hot labels, backward and the
 * optimizer's update. Returns the step's loss, which the caller forces and disposes.
 */
export type TrainingStep = (batch: TrainingBatch) => tf.Scalar;

/**
 * Makes the training step of a custom loop, as the official early / late dropout code runs it:
 * `optimizer.minimize` over the model's trainable weights. The rates are read at every call, so
 * `applyRates` between calls changes the next step.
 *
 * @param model - a model whose output is logits (`outputActivation: 'linear'`).
 * @param optimizer - e.g. `tf.train.adam(1e-3)`; its slot variables appear at the first step.
 * @returns the step function.
 */
export function createTrainingStep(model: LayersModel, optimizer: tf.Optimizer): TrainingStep {
  // LayerVariable.read() is the tf.Variable itself, which minimize needs to update in place.
  const varList = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (batch) => {
    const loss = optimizer.minimize(
      () => {
        const logits = model.apply(batch.xs, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(batch.ys, logits) as tf.Scalar;
      },
      true,
      varList,
    );
    if (loss === null) throw new Error('optimizer.minimize returned no loss');
    return loss;
  };
}
