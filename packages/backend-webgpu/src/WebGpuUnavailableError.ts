import { DropkitError } from '@dropkit/core';

/**
 * Thrown by `initWebGpu` when no WebGPU adapter or device can be had; the message says why and
 * what to install or change.
 *
 * @example
 * ```ts
 * import { DropkitError } from '@dropkit/core';
 * import { WebGpuUnavailableError } from '@dropkit/backend-webgpu';
 * const err = new WebGpuUnavailableError('no adapter');
 * console.log(err instanceof DropkitError, err.name); // true WebGpuUnavailableError
 * ```
 */
export class WebGpuUnavailableError extends DropkitError {}
