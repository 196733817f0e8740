import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import * as dropkitLayers from '@dropkit/layers';
import * as schedules from '@dropkit/schedules';
import { describeExamples, describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's ESM build registers no gradients; the README's example trains.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll } from 'vitest';
import * as models from '../src/index.js';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

const modules = {
  '@dropkit/models': models,
  '@dropkit/layers': dropkitLayers,
  '@dropkit/schedules': schedules,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
  '@tensorflow/tfjs-layers': tfl,
};

describeExamples(new URL('../src', import.meta.url), modules);

const packageDir = fileURLToPath(new URL('..', import.meta.url));
describeMarkdownExamples([`${packageDir}README.md`], packageDir, modules);
