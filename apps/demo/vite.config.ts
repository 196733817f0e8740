import { defaultClientConditions, defineConfig } from 'vite';

// The demo is published under the docs site (`<docs>/demo/`) and must work from any sub-path:
// every URL in the build is relative (`base: './'`), the worker finds its .wasm files relative to
// itself, and the page finds `mnist-subset.bin` relative to itself.
export default defineConfig({
  base: './',
  resolve: {
    // Workspace packages are bundled from their TypeScript source, never from a stale dist/.
    conditions: ['@dropkit/source', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The workers carry tfjs and its backends, the chart chunk vega; the entry stays small.
    chunkSizeWarningLimit: 1500,
  },
  preview: { strictPort: true },
});
