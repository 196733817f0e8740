// Bundles bench/wasmBench.ts (dropkit packages from source, tfjs left external so that Node loads
// the one installed copy) and runs it:
//   node scripts/bench.mjs [--runs 15] [--warmup 3] [--size n] [--baseline <kernels>]
// (see bench/wasmBench.ts for --baseline).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'dropkit-bench', 'wasmBench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'bench', 'wasmBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@dropkit/source'],
  external: ['@tensorflow/*'],
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
