// Bundles the CLI into one ES module with everything it imports: tfjs's ES build with its
// gradient registrations, the cpu backend, and the dropkit packages from source. The result runs
// with nothing but Node (`node dist/dropkit-bench.mjs ...`), on this machine or an offline host.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bundle.ts'],
  outfile: 'dist/dropkit-bench.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@dropkit/source'],
  mainFields: ['module', 'main'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS code inside an ES module bundle needs `require`.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
