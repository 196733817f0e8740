import { describeExamples } from '@dropkit/test-utils/examples';
import * as core from '../src/index.js';

describeExamples(new URL('../src', import.meta.url), { '@dropkit/core': core });
