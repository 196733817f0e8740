import { useBackend } from '@dropkit/backends';
import * as schedules from '@dropkit/schedules';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import * as charts from '../src/charts/index.ts';
import * as data from '../src/data/index.ts';
import * as training from '../src/training/index.ts';

beforeAll(async () => {
  await useBackend('cpu');
});

const modules = {
  '@dropkit/demo/training': training,
  '@dropkit/demo/data': data,
  '@dropkit/demo/charts': charts,
  '@dropkit/schedules': schedules,
  '@tensorflow/tfjs-core': tf,
};

// The page's own modules (ui/, main.ts, the worker) need a DOM or a worker scope: their checks are
// the browser test's.
for (const dir of ['training', 'data', 'charts']) {
  describeExamples(new URL(`../src/${dir}`, import.meta.url), modules);
}
