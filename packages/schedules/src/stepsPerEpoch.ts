import { assertInteger, InvalidArgumentError } from '@dropkit/core';

/** The quantities that fix how many optimizer steps an epoch has. */
export interface EpochShape {
  /** Training examples. */
  readonly trainSize: number;
  /** Examples per device per forward pass. */
  readonly batchSize: number;
  /** Forward passes accumulated per optimizer step. Default 1. */
  readonly gradAccumulation?: number;
  /** Data-parallel workers. Default 1. */
  readonly workers?: number;
}

/**
 * Optimizer steps per epoch as the official code counts them:
 * floor(trainSize / (batchSize * gradAccumulation * workers)); a partial last batch is dropped.
 *
 * @param shape - {@link EpochShape}.
 * @returns a positive integer.
 * @throws InvalidArgumentError when an input is not a positive integer, or the epoch has no
 *   complete step.
 * @example
 * ```ts
 * import { stepsPerEpoch } from '@dropkit/schedules';
 * console.log(stepsPerEpoch({ trainSize: 1000, batchSize: 64 })); // 15
 * ```
 */
export function stepsPerEpoch(shape: EpochShape): number {
  const trainSize = assertInteger('trainSize', shape.trainSize, { min: 1 });
  const batchSize = assertInteger('batchSize', shape.batchSize, { min: 1 });
  const accumulation = assertInteger('gradAccumulation', shape.gradAccumulation ?? 1, { min: 1 });
  const workers = assertInteger('workers', shape.workers ?? 1, { min: 1 });
  const perStep = batchSize * accumulation * workers;
  const n = Math.floor(trainSize / perStep);
  if (n < 1) {
    throw new InvalidArgumentError(
      'trainSize',
      trainSize,
      `at least batchSize * gradAccumulation * workers = ${perStep} examples (one full step)`,
    );
  }
  return n;
}
