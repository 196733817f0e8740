import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import { describeExamples, describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
// The examples take gradients through tfjs-core ops; tfjs-core alone registers none.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll } from 'vitest';
import * as diagnostics from '../src/index.js';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

const modules = {
  '@dropkit/diagnostics': diagnostics,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
  '@tensorflow/tfjs-layers': tfl,
};

describeExamples(new URL('../src', import.meta.url), modules);

describeMarkdownExamples(
  [fileURLToPath(new URL('../README.md', import.meta.url))],
  fileURLToPath(new URL('..', import.meta.url)),
  modules,
);
