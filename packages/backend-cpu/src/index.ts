export { CPU_KERNEL_CONFIGS } from '@dropkit/ops';
export {
  type CpuBackendReport,
  type CpuKernelOptions,
  initCpu,
  registerCpuDropkitKernels,
} from './initCpu.js';
export { cpuSimdSupported, simdDropoutCpuConfig, simdDropoutImpl } from './simdDropout.js';
