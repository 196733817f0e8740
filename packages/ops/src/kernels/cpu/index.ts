import type { KernelConfig } from '@tensorflow/tfjs-core';
import { dropoutCpuConfig } from './DropkitDropout.js';

/** The cpu reference kernel of every dropkit kernel. */
export const CPU_KERNEL_CONFIGS: readonly KernelConfig[] = [dropoutCpuConfig];
