import { describeExamples } from '@dropkit/test-utils/examples';
import * as backends from '../src/index.js';

describeExamples(new URL('../src', import.meta.url), { '@dropkit/backends': backends });
