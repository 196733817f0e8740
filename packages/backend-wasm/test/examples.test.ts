import * as core from '@dropkit/core';
import * as ops from '@dropkit/ops';
import { describeExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '../src/index.js';
import * as kernels from '../src/kernelModule.js';

describeExamples(new URL('../src', import.meta.url), {
  '@dropkit/backend-wasm': wasm,
  '@dropkit/backend-wasm/kernels': kernels,
  '@dropkit/ops': ops,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
});
