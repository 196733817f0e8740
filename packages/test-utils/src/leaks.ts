import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Runs `fn` and asserts it left no tensor and no data buffer behind (`tf.memory()` before and
 * after). Returns what `fn` returned, which must not hold tensors.
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory();
  const result = await fn();
  const after = tf.memory();
  expect(after.numTensors, 'tensors left behind').toBe(before.numTensors);
  expect(after.numDataBuffers, 'data buffers left behind').toBe(before.numDataBuffers);
  return result;
}
