// The side-effect entry `@dropkit/backend-wasm/auto`: importing it registers tfjs's wasm backend
// (tfjs-backend-wasm's own import side effect) and dropkit's fused kernels for it. Listed in
// package.json's `sideEffects`, so bundlers keep it. Paths to tfjs's .wasm binaries are tfjs's
// defaults here; call `initWasm` instead to set them (a bundled browser app needs that).
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './registerWasmKernels.js';

registerWasmKernels();
