import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@dropkit/core';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
// After tfjs-core itself: the gradients' modules need its op handler in place.
import './helpers.js';
import { beforeAll } from 'vitest';
import * as lab from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeExamples(new URL('../src', import.meta.url), {
  '@dropkit/lab': lab,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
  'node:fs': fs,
  'node:os': os,
  'node:path': path,
});
