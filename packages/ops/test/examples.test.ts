import * as core from '@dropkit/core';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import * as ops from '../src/index.js';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

describeExamples(new URL('../src', import.meta.url), {
  '@dropkit/ops': ops,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
});
