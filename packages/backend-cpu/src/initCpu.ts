import { CPU_KERNEL_CONFIGS, DropkitDropout, ensureSetup, registerKernels } from '@dropkit/ops';
import { getBackend, getKernel, ready, setBackend, unregisterKernel } from '@tensorflow/tfjs-core';
import { cpuSimdSupported, simdDropoutCpuConfig } from './simdDropout.js';

/** Options of {@link initCpu} and {@link registerCpuDropkitKernels}. */
export interface CpuKernelOptions {
  /**
   * Run dropout's Threefry rounds in WebAssembly SIMD where the engine has it (default true); false
   * keeps every kernel in plain TypeScript, the reference the other backends are held to.
   */
  readonly simd?: boolean;
}

/** What {@link initCpu} set up. */
export interface CpuBackendReport {
  /** The tfjs backend name now active: always `cpu`. */
  readonly backend: 'cpu';
  /** The dropkit kernels registered by this call (empty when they already were). */
  readonly registered: readonly string[];
  /** Whether dropout runs its SIMD kernel. */
  readonly simd: boolean;
  /** A one-line description for logs. */
  readonly description: string;
}

/**
 * Registers dropkit's fused cpu kernels, registers tfjs's cpu backend and makes it the active one.
 *
 * @param options - {@link CpuKernelOptions}.
 * @returns which kernels this call registered, whether dropout uses SIMD, and a description.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { initCpu } from '@dropkit/backend-cpu';
 * import { dropout } from '@dropkit/ops';
 * const report = await initCpu();
 * console.log(report.backend, report.simd); // cpu true
 * console.log(dropout(tf.ones([4]), { rate: 0.5, seed: 1 }).shape); // [ 4 ]
 * ```
 */
export async function initCpu(options: CpuKernelOptions = {}): Promise<CpuBackendReport> {
  // The import registers tfjs's cpu backend factory (its one side effect).
  await import('@tensorflow/tfjs-backend-cpu');
  const { registered, simd } = registerCpuDropkitKernelsWithReport(options);
  if (!(await setBackend('cpu'))) {
    throw new Error('tf.setBackend("cpu") failed: the tfjs cpu backend could not be initialised.');
  }
  await ready();
  return {
    backend: 'cpu',
    registered,
    simd,
    description: `tfjs cpu backend (${getBackend()}), dropkit fused kernels${simd ? ', dropout in WebAssembly SIMD' : ' in TypeScript'}`,
  };
}

/**
 * Registers dropkit's fused cpu kernels and gradients without changing the active backend. With
 * `simd` (the default) dropout's kernel is the WebAssembly SIMD one, replacing the TypeScript
 * reference if that was registered first; with `simd: false` the reference is put back.
 *
 * @param options - {@link CpuKernelOptions}.
 * @returns the kernel names this call registered (none when nothing changed).
 * @example
 * ```ts
 * import { registerCpuDropkitKernels } from '@dropkit/backend-cpu';
 * registerCpuDropkitKernels();
 * console.log(registerCpuDropkitKernels()); // []
 * ```
 */
export function registerCpuDropkitKernels(options: CpuKernelOptions = {}): string[] {
  return registerCpuDropkitKernelsWithReport(options).registered;
}

function registerCpuDropkitKernelsWithReport(options: CpuKernelOptions): {
  registered: string[];
  simd: boolean;
} {
  const simd = options.simd !== false && cpuSimdSupported();
  const dropout = simd
    ? simdDropoutCpuConfig
    : (CPU_KERNEL_CONFIGS.find(
        (k) => k.kernelName === DropkitDropout,
      ) as (typeof CPU_KERNEL_CONFIGS)[number]);
  const registered: string[] = [];
  const current = getKernel(DropkitDropout, 'cpu');
  if (current !== undefined && current.kernelFunc !== dropout.kernelFunc) {
    unregisterKernel(DropkitDropout, 'cpu');
  }
  registered.push(...registerKernels([dropout]));
  registered.push(
    ...registerKernels(CPU_KERNEL_CONFIGS.filter((k) => k.kernelName !== DropkitDropout)),
  );
  ensureSetup();
  return { registered, simd };
}
