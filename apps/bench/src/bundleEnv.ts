// Imported first by the bundle's entry. tfjs-backend-wasm's binaries sit beside the bundle
// (dist/wasm/, copied by build.mjs); tfjs must be told before anything initialises a backend:
// the bundle registers wasm at load time, with a higher priority than cpu, so the first engine
// call could initialise it from the wrong folder, after which its paths can no longer be set.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const wasmDir = fileURLToPath(new URL('./wasm/', import.meta.url));
if (process.env.DROPKIT_BENCH_WASM_DIR === undefined && existsSync(wasmDir)) {
  process.env.DROPKIT_BENCH_WASM_DIR = wasmDir;
}
if (process.env.DROPKIT_BENCH_WASM_DIR !== undefined) {
  setWasmPaths(process.env.DROPKIT_BENCH_WASM_DIR);
}
