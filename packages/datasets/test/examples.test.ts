import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import { describeExamples, describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import * as datasets from '../src/index.js';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

const modules = {
  '@dropkit/datasets': datasets,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
};

describeExamples(new URL('../src', import.meta.url), modules);

const packageDir = fileURLToPath(new URL('..', import.meta.url));
describeMarkdownExamples([`${packageDir}README.md`], packageDir, modules);
