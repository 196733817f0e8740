import * as ops from '@dropkit/ops';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as cpu from '../src/index.js';

describeExamples(new URL('../src', import.meta.url), {
  '@dropkit/backend-cpu': cpu,
  '@dropkit/ops': ops,
  '@tensorflow/tfjs-core': tf,
});
