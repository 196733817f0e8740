import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import * as schedules from '@dropkit/schedules';
import { describeMarkdownExamples } from '@dropkit/test-utils/examples';

const root = fileURLToPath(new URL('../..', import.meta.url));
describeMarkdownExamples(
  [
    'docs/guides/getting-started.md',
    'docs/guides/schedules.md',
    'packages/schedules/README.md',
    'packages/core/README.md',
  ].map((f) => `${root}${f}`),
  root,
  { '@dropkit/core': core, '@dropkit/schedules': schedules },
);
