import { ensureSetup, registerKernels } from '@dropkit/ops';
import { WEBGPU_KERNEL_CONFIGS } from './kernels/index.js';

/**
 * Registers dropkit's WGSL kernels for the `webgpu` backend (skipping any already registered),
 * and dropkit's gradients. `initWebGpu` calls it; call it yourself when you set up the tfjs
 * WebGPU backend on your own. Nothing is registered at import time except by the `./auto` entry.
 *
 * @returns the kernel names registered by this call (empty when they already were).
 * @example
 * ```ts
 * import { registerWebGpuKernels } from '@dropkit/backend-webgpu';
 * registerWebGpuKernels();
 * console.log(registerWebGpuKernels()); // []
 * ```
 */
export function registerWebGpuKernels(): string[] {
  ensureSetup();
  return registerKernels(WEBGPU_KERNEL_CONFIGS);
}
