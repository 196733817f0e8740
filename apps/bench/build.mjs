// Bundles the CLI into one ES module with everything it imports: tfjs's ES build with its
// gradient registrations, the cpu / wasm / webgpu backends, and the dropkit packages from source.
// The result runs with nothing but Node (`node dist/dropkit-bench.mjs ...`).
//
// `node build.mjs --gpu-host` also assembles dist/gpu-bundle/: the bundle plus the two things it
// cannot inline — Dawn's native addon (the `webgpu` package, kept external) and tfjs-backend-wasm's
// .wasm binaries — so the folder can be carried to an offline GPU host and run there with plain
// Node: `node dist/gpu-bundle/dropkit-bench.mjs ops --backend webgpu`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
  // Dawn's addon is a native binary loaded from beside its package's index.js.
  external: ['webgpu'],
  // CommonJS code inside an ES module bundle needs `require`, and Emscripten's Node glue in
  // tfjs-backend-wasm reads `__dirname` when it loads.
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      "import { dirname as __dn } from 'node:path';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join(' '),
  },
});

const require = createRequire(import.meta.url);
const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};
// tfjs-backend-wasm's binaries sit beside the bundle, where src/bundleEnv.ts points tfjs at them.
const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
const wasmDir = join(
  dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
for (const f of WASM_BINARIES) copy(join(wasmDir, f), join('dist/wasm', f));

if (process.argv.includes('--gpu-host')) {
  const out = 'dist/gpu-bundle';
  rmSync(out, { recursive: true, force: true });
  copy('dist/dropkit-bench.mjs', join(out, 'dropkit-bench.mjs'));
  for (const f of WASM_BINARIES) copy(join('dist/wasm', f), join(out, 'wasm', f));
  const webgpuDir = dirname(require.resolve('webgpu/package.json'));
  for (const f of ['package.json', 'index.js', 'dist/linux-x64/dawn.node']) {
    copy(join(webgpuDir, f), join(out, 'node_modules/webgpu', f));
  }
  console.log(`gpu-host bundle: ${out}/ (run: node ${out}/dropkit-bench.mjs ops --backend webgpu)`);
}
