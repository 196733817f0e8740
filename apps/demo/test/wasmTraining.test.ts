import { useBackend } from '@dropkit/backends';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainingSession, DEFAULT_RUN_CONFIG } from '../src/training/index.ts';
import { loadData } from './helpers.ts';

// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter; @dropkit/backend-wasm's initWasm registers
// one, and the demo's convolutional models depend on it.
beforeAll(async () => {
  await useBackend('wasm');
});

afterAll(async () => {
  await useBackend('cpu');
});

describe('the convolutional models on wasm', () => {
  it.each(['vit', 'cnn'] as const)('lets the %s train on wasm, without leaks', async (model) => {
    const data = await loadData('mnist');
    const config = { ...DEFAULT_RUN_CONFIG, model, steps: 3, cutoff: 2, batchSize: 8 };
    const options = {
      diagnosticsK: 2,
      diagnosticsExamples: 16,
      evalTrainExamples: 16,
      evalTestExamples: 16,
    };
    const warm = await createTrainingSession(config, data, options);
    await warm.step();
    warm.dispose();
    const losses = await expectNoLeaks(async () => {
      const session = await createTrainingSession(config, data, options);
      const out = [];
      for (let s = 0; s < 3; s++) out.push((await session.step()).loss);
      await session.diagnose();
      session.evaluate();
      session.dispose();
      return out;
    });
    expect(tf.getBackend()).toBe('wasm');
    for (const l of losses) expect(Number.isFinite(l) && l > 0).toBe(true);
  });
});
