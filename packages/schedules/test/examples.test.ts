import * as core from '@dropkit/core';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as schedules from '../src/index.js';

describeExamples(new URL('../src', import.meta.url), {
  '@dropkit/schedules': schedules,
  '@dropkit/core': core,
});
