/** One optimizer step: what the worker posts and the JSONL export writes, one line each. */
export interface StepRecord {
  readonly type: 'step';
  /** The step's index, from 0; the schedule's rate at this index was used. */
  readonly step: number;
  /** The mini-batch's mean softmax cross-entropy, with dropout on at `rate`. */
  readonly loss: number;
  /** The fraction of the mini-batch classified right, in the same forward pass. */
  readonly accuracy: number;
  /** The dropout rate of every dropout site during this step. */
  readonly rate: number;
  /** `||g||_2` of the step's gradient over all parameters. */
  readonly gradNorm: number;
  /** Wall time of the step (forward, backward, update, read-back), in ms. */
  readonly ms: number;
}

/** An evaluation in inference mode (dropout off). */
export interface EvalRecord {
  readonly type: 'eval';
  /** Optimizer steps done when it was taken. */
  readonly step: number;
  /** Over the first `trainExamples` training examples. */
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  /** Over the whole test set. */
  readonly testLoss: number;
  readonly testAccuracy: number;
  readonly trainExamples: number;
  readonly testExamples: number;
}

/** The gradient-direction diagnostics of "Dropout Reduces Underfitting" at one point of training. */
export interface DiagnosticsRecord {
  readonly type: 'diagnostics';
  /** Optimizer steps done when it was taken (measured with the next step's dropout rate). */
  readonly step: number;
  /** Gradient direction variance over K mini-batch gradients (dropout on). */
  readonly gdv: number;
  /** Gradient direction error against the gradient over `examples` examples (dropout off). */
  readonly gde: number;
  /** K, the number of mini-batch gradients. */
  readonly k: number;
  /** The examples the full gradient was taken over. */
  readonly examples: number;
  /** The dropout rate the mini-batch gradients were taken at. */
  readonly rate: number;
  /** Wall time of the measurement, in ms. */
  readonly ms: number;
}

/** Any record of a run's log. */
export type RunRecord = StepRecord | EvalRecord | DiagnosticsRecord;
