export {
  type AdapterDescription,
  type AdapterInfoLike,
  describeAdapter,
} from './describeAdapter.js';
export {
  type AdapterLike,
  type GpuLike,
  initWebGpu,
  type WebGpuAdapterReport,
  type WebGpuInitOptions,
} from './initWebGpu.js';
export { WEBGPU_KERNEL_CONFIGS } from './kernels/index.js';
export { registerWebGpuKernels } from './registerWebGpuKernels.js';
export { WebGpuUnavailableError } from './WebGpuUnavailableError.js';
