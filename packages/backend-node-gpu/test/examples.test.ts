import { describeExamples } from '@dropkit/test-utils/examples';
import * as nodeGpu from '../src/index.js';

describeExamples(new URL('../src', import.meta.url), { '@dropkit/backend-node-gpu': nodeGpu });
