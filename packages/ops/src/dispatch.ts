import {
  engine,
  getBackend,
  getKernel,
  type NamedAttrMap,
  type NamedTensorMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { ensureSetup } from './setup.js';

let composedOnly = false;
const warned = new Set<string>();

/**
 * Forces every op onto its composed fallback even where a fused kernel is registered (for tests
 * and benchmarks that compare the two paths).
 *
 * @param on - true to force the fallback.
 * @example
 * ```ts
 * import { setComposedOnly } from '@dropkit/ops';
 * setComposedOnly(false);
 * ```
 */
export function setComposedOnly(on: boolean): void {
  composedOnly = on;
}

/**
 * Whether the current backend has a fused kernel of this name.
 *
 * @param kernelName - a dropkit kernel name.
 * @returns true when `getKernel(kernelName, getBackend())` is registered.
 * @example
 * ```ts
 * import { DropkitDropout, hasFusedKernel } from '@dropkit/ops';
 * console.log(typeof hasFusedKernel(DropkitDropout)); // boolean
 * ```
 */
export function hasFusedKernel(kernelName: string): boolean {
  ensureSetup();
  return getKernel(kernelName, getBackend()) !== undefined;
}

/**
 * Runs the fused kernel where the backend has one, else the composed fallback (which keeps the
 * same RNG semantics), saying so once per kernel and backend.
 */
export function runDropkitKernel(
  kernelName: string,
  inputs: NamedTensorMap,
  attrs: object,
  composed: () => Tensor,
): Tensor {
  if (!composedOnly && hasFusedKernel(kernelName)) {
    return engine().runKernel(kernelName, inputs, attrs as NamedAttrMap) as Tensor;
  }
  const key = `${kernelName}/${getBackend()}`;
  if (!composedOnly && !warned.has(key)) {
    warned.add(key);
    console.info(
      `dropkit: no fused ${kernelName} kernel for the "${getBackend()}" backend; using the composed tfjs version (same masks, slower).`,
    );
  }
  return composed();
}
