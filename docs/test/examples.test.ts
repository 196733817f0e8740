import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as backendCpu from '@dropkit/backend-cpu';
import * as backends from '@dropkit/backends';
import * as core from '@dropkit/core';
import * as diagnostics from '@dropkit/diagnostics';
import * as lab from '@dropkit/lab';
import * as layers from '@dropkit/layers';
import * as models from '@dropkit/models';
import * as ops from '@dropkit/ops';
import * as schedules from '@dropkit/schedules';
import { describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  // What the examples' `import '@tensorflow/tfjs'` would do: gradients for training.
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  await backendCpu.initCpu();
});

/**
 * The markdown files whose ```ts blocks this suite runs: the guides, and the READMEs that no
 * package's own suite runs (`coverage.test.ts` checks that every file with a ```ts block is run
 * somewhere).
 */
export const DOCS_EXAMPLE_FILES = [
  'docs/guides/getting-started.md',
  'docs/guides/schedules.md',
  'docs/guides/rng.md',
  'docs/guides/ops.md',
  'docs/guides/backends.md',
  'docs/guides/diagnostics.md',
  'packages/schedules/README.md',
  'packages/core/README.md',
  'packages/ops/README.md',
  'packages/backend-cpu/README.md',
  'packages/backends/README.md',
  'packages/lab/README.md',
];

const root = fileURLToPath(new URL('../..', import.meta.url));
describeMarkdownExamples(
  DOCS_EXAMPLE_FILES.map((f) => `${root}${f}`),
  root,
  {
    '@dropkit/backend-cpu': backendCpu,
    '@dropkit/backends': backends,
    '@dropkit/core': core,
    '@dropkit/diagnostics': diagnostics,
    '@dropkit/lab': lab,
    '@dropkit/layers': layers,
    '@dropkit/models': models,
    '@dropkit/schedules': schedules,
    '@dropkit/ops': ops,
    '@tensorflow/tfjs-core': tf,
    '@tensorflow/tfjs-layers': tfl,
    'node:fs': fs,
    'node:os': os,
    'node:path': path,
  },
);
