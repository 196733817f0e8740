import type { KernelConfig } from '@tensorflow/tfjs-core';
import { alphaDropoutWasmConfig } from './DropkitAlphaDropout.js';
import { dropBlockWasmConfig } from './DropkitDropBlock.js';
import { dropoutWasmConfig } from './DropkitDropout.js';
import { gaussianDropoutWasmConfig } from './DropkitGaussianDropout.js';
import { probDropBlockWasmConfig } from './DropkitProbDropBlock.js';
import { standoutWasmConfig } from './DropkitStandout.js';

/**
 * The wasm kernel config of every dropkit kernel, for `registerKernel` and coverage tables.
 *
 * @example
 * ```ts
 * import { WASM_KERNEL_CONFIGS } from '@dropkit/backend-wasm';
 * console.log(WASM_KERNEL_CONFIGS.length, WASM_KERNEL_CONFIGS[0]?.backendName); // 6 wasm
 * ```
 */
export const WASM_KERNEL_CONFIGS: readonly KernelConfig[] = [
  dropoutWasmConfig,
  gaussianDropoutWasmConfig,
  alphaDropoutWasmConfig,
  standoutWasmConfig,
  dropBlockWasmConfig,
  probDropBlockWasmConfig,
];
