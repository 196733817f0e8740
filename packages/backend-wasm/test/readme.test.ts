import { fileURLToPath } from 'node:url';
import * as core from '@dropkit/core';
import * as ops from '@dropkit/ops';
import { describeMarkdownExamples } from '@dropkit/test-utils/examples';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '../src/index.js';

// The README's ```ts blocks run (the Vite one is ```js: its `?url` imports exist only in Vite).
const dir = fileURLToPath(new URL('..', import.meta.url));
describeMarkdownExamples([`${dir}README.md`], dir, {
  '@dropkit/backend-wasm': wasm,
  '@dropkit/ops': ops,
  '@dropkit/core': core,
  '@tensorflow/tfjs-core': tf,
});
