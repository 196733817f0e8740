import type { KernelConfig } from '@tensorflow/tfjs-core';
import { alphaDropoutWebGpuConfig } from './DropkitAlphaDropout.js';
import { dropBlockWebGpuConfig } from './DropkitDropBlock.js';
import { dropoutWebGpuConfig } from './DropkitDropout.js';
import { gaussianDropoutWebGpuConfig } from './DropkitGaussianDropout.js';
import { probDropBlockWebGpuConfig } from './DropkitProbDropBlock.js';
import { standoutWebGpuConfig } from './DropkitStandout.js';

/**
 * The WebGPU kernel config of every dropkit kernel (backend name `webgpu`), for registration and
 * coverage tables.
 *
 * @example
 * ```ts
 * import { WEBGPU_KERNEL_CONFIGS } from '@dropkit/backend-webgpu';
 * const names = WEBGPU_KERNEL_CONFIGS.map((k) => k.kernelName);
 * console.log(names.length, names.includes('DropkitProbDropBlock')); // 6 true
 * ```
 */
export const WEBGPU_KERNEL_CONFIGS: readonly KernelConfig[] = [
  dropoutWebGpuConfig,
  gaussianDropoutWebGpuConfig,
  alphaDropoutWebGpuConfig,
  standoutWebGpuConfig,
  dropBlockWebGpuConfig,
  probDropBlockWebGpuConfig,
];
