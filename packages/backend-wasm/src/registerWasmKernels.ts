import { ensureSetup, registerKernels } from '@dropkit/ops';
import { wasmKernelsSupported } from './kernelInstance.js';
import { WASM_KERNEL_CONFIGS } from './kernels/index.js';

/**
 * Registers dropkit's fused kernels for the tfjs `wasm` backend (skipping any already
 * registered) and dropkit's gradients. Where the engine lacks WebAssembly SIMD it registers
 * nothing and the ops keep their composed fallback. Nothing is registered at import time: call
 * this, call `initWasm`, or import `@dropkit/backend-wasm/auto`.
 *
 * @returns the kernel names registered by this call.
 * @example
 * ```ts
 * import { registerWasmKernels } from '@dropkit/backend-wasm';
 * registerWasmKernels();
 * console.log(registerWasmKernels()); // []
 * ```
 */
export function registerWasmKernels(): string[] {
  if (!wasmKernelsSupported()) return [];
  ensureSetup();
  return registerKernels(WASM_KERNEL_CONFIGS);
}
