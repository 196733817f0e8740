import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Dropout, type DropoutSiteContainer, findDropoutSites, type Kwargs } from '../src/index.js';

type Inputs = tf.Tensor | tf.Tensor[];
const one = (inputs: Inputs): tf.Tensor =>
  Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;

/**
 * A custom layer shaped like self-attention that holds its attention-probability dropout as a
 * property and lists it through `dropoutSites()`; it records that dropout's rate at every
 * training call.
 */
export class AttentionLike extends tfl.layers.Layer implements DropoutSiteContainer {
  static className = 'TestAttentionLike';
  readonly attentionDropout: Dropout;
  readonly seen: number[] = [];

  constructor(args: { rate: number; seed?: number }) {
    super({});
    this.attentionDropout = new Dropout({
      rate: args.rate,
      ...(args.seed ? { seed: args.seed } : {}),
    });
  }

  dropoutSites(): tfl.layers.Layer[] {
    return [this.attentionDropout];
  }

  override call(inputs: Inputs, kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs); // [batch, tokens, dim]
      const d = x.shape[2] as number;
      const scores = tf.softmax(tf.div(tf.matMul(x, x, false, true), Math.sqrt(d)));
      if (kwargs.training === true) this.seen.push(this.attentionDropout.rate);
      const probs = this.attentionDropout.apply(scores, kwargs) as tf.Tensor;
      return tf.matMul(probs, x);
    });
  }
}

/** What the recorder saw at one training forward pass. */
export interface RecordedRates {
  readonly dropout: number[];
  readonly dropPath: number[];
}

/**
 * An identity layer that, at every training forward pass, records the rates of every dropout
 * site of the model it is in: proof of what was set before the batch ran.
 */
export class RateRecorder extends tfl.layers.Layer {
  static className = 'TestRateRecorder';
  readonly log: RecordedRates[] = [];
  model: tfl.LayersModel | undefined;

  override call(inputs: Inputs, kwargs: Kwargs): tf.Tensor {
    if (kwargs.training === true && this.model) {
      const sites = findDropoutSites(this.model);
      this.log.push({
        dropout: sites.filter((s) => s.dropoutSite === 'dropout').map((s) => s.rate),
        dropPath: sites.filter((s) => s.dropoutSite === 'dropPath').map((s) => s.rate),
      });
    }
    return one(inputs);
  }
}
