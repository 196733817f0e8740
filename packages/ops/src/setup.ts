import {
  type GradConfig,
  getGradient,
  getKernel,
  type KernelConfig,
  registerGradient,
  registerKernel,
} from '@tensorflow/tfjs-core';
import { GRAD_CONFIGS } from './gradients/index.js';
import { CPU_KERNEL_CONFIGS } from './kernels/cpu/index.js';

let done = false;

/**
 * Registers dropkit's gradients, and the cpu reference kernels where none is registered yet.
 * Ops call this on first use, so nothing is registered at import time; calling it again is free.
 *
 * @example
 * ```ts
 * import { ensureSetup } from '@dropkit/ops';
 * ensureSetup();
 * ```
 */
export function ensureSetup(): void {
  if (done) return;
  done = true;
  registerGradients(GRAD_CONFIGS);
  registerCpuKernels();
}

function registerGradients(configs: readonly GradConfig[]): void {
  for (const g of configs) if (getGradient(g.kernelName) === undefined) registerGradient(g);
}

/**
 * Registers the cpu reference kernels of every dropkit op (skipping any already registered).
 *
 * @returns the kernel names registered by this call.
 * @example
 * ```ts
 * import { registerCpuKernels } from '@dropkit/ops';
 * registerCpuKernels();
 * ```
 */
export function registerCpuKernels(): string[] {
  return registerKernels(CPU_KERNEL_CONFIGS);
}

/**
 * Registers kernel configs, skipping those already registered for their backend.
 *
 * @param configs - the kernels.
 * @returns the kernel names registered by this call.
 */
export function registerKernels(configs: readonly KernelConfig[]): string[] {
  const added: string[] = [];
  for (const k of configs) {
    if (getKernel(k.kernelName, k.backendName) === undefined) {
      registerKernel(k);
      added.push(k.kernelName);
    }
  }
  return added;
}
