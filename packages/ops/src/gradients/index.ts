import type { GradConfig } from '@tensorflow/tfjs-core';
import { alphaDropoutGradConfig } from './DropkitAlphaDropout_grad.js';
import { dropBlockGradConfig, probDropBlockGradConfig } from './DropkitDropBlock_grad.js';
import { dropoutGradConfig } from './DropkitDropout_grad.js';
import { gaussianDropoutGradConfig } from './DropkitGaussianDropout_grad.js';
import { standoutGradConfig } from './DropkitStandout_grad.js';

/** The gradient of every dropkit kernel. */
export const GRAD_CONFIGS: readonly GradConfig[] = [
  dropoutGradConfig,
  gaussianDropoutGradConfig,
  alphaDropoutGradConfig,
  standoutGradConfig,
  dropBlockGradConfig,
  probDropBlockGradConfig,
];
