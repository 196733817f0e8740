import { fileURLToPath } from 'node:url';
import * as backends from '@dropkit/backends';
import * as core from '@dropkit/core';
import * as ops from '@dropkit/ops';
import * as schedules from '@dropkit/schedules';
import { describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
});

const root = fileURLToPath(new URL('../..', import.meta.url));
describeMarkdownExamples(
  [
    'docs/guides/getting-started.md',
    'docs/guides/schedules.md',
    'docs/guides/rng.md',
    'docs/guides/ops.md',
    'docs/guides/backends.md',
    'packages/schedules/README.md',
    'packages/core/README.md',
    'packages/ops/README.md',
  ].map((f) => `${root}${f}`),
  root,
  {
    '@dropkit/backends': backends,
    '@dropkit/core': core,
    '@dropkit/schedules': schedules,
    '@dropkit/ops': ops,
    '@tensorflow/tfjs-core': tf,
  },
);
