// Bundles bench/readers.ts from source (tfjs-core's ESM files have extensionless imports that Node
// cannot load directly) into node_modules/.cache, next to this package's dependencies, and runs it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const out = fileURLToPath(
  new URL('../node_modules/.cache/dropkit-bench/readers.mjs', import.meta.url),
);
await build({
  entryPoints: [fileURLToPath(new URL('readers.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  target: 'node20',
  conditions: ['@dropkit/source'],
  // tfjs's ES build: its gradient registrations import extensionless paths esbuild resolves.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  // CommonJS code inside an ES module bundle needs `require`.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
execFileSync(process.execPath, [out], { stdio: 'inherit' });
