import type { GradConfig } from '@tensorflow/tfjs-core';
import { dropoutGradConfig } from './DropkitDropout_grad.js';

/** The gradient of every dropkit kernel. */
export const GRAD_CONFIGS: readonly GradConfig[] = [dropoutGradConfig];
