import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import * as ops from '@dropkit/ops';
import { describeExamples, describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as webgpu from '../src/index.js';

const modules = {
  '@dropkit/backend-webgpu': webgpu,
  '@dropkit/ops': ops,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
};

describeExamples(new URL('../src', import.meta.url), modules);
describeMarkdownExamples(
  [fileURLToPath(new URL('../README.md', import.meta.url))],
  fileURLToPath(new URL('..', import.meta.url)),
  modules,
);
