import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import * as ops from '@dropkit/ops';
import * as schedules from '@dropkit/schedules';
import { describeExamples, describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll } from 'vitest';
import * as layers from '../src/index.js';
import * as node from '../src/node.js';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

const modules = {
  '@dropkit/layers': layers,
  '@dropkit/layers/node': node,
  '@dropkit/ops': ops,
  '@dropkit/schedules': schedules,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
  '@tensorflow/tfjs-layers': tfl,
  'node:fs': fs,
  'node:os': os,
  'node:path': path,
};

describeExamples(new URL('../src', import.meta.url), modules);
describeMarkdownExamples(
  [fileURLToPath(new URL('../README.md', import.meta.url))],
  fileURLToPath(new URL('..', import.meta.url)),
  modules,
);
