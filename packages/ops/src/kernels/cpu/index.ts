import type { KernelConfig } from '@tensorflow/tfjs-core';
import { alphaDropoutCpuConfig } from './DropkitAlphaDropout.js';
import { dropBlockCpuConfig, probDropBlockCpuConfig } from './DropkitDropBlock.js';
import { dropoutCpuConfig } from './DropkitDropout.js';
import { gaussianDropoutCpuConfig } from './DropkitGaussianDropout.js';
import { standoutCpuConfig } from './DropkitStandout.js';

/** The cpu reference kernel of every dropkit kernel. */
export const CPU_KERNEL_CONFIGS: readonly KernelConfig[] = [
  dropoutCpuConfig,
  gaussianDropoutCpuConfig,
  alphaDropoutCpuConfig,
  standoutCpuConfig,
  dropBlockCpuConfig,
  probDropBlockCpuConfig,
];
