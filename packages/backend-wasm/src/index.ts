export {
  type InitWasmOptions,
  initWasm,
  type WasmBinaryName,
  type WasmFileMap,
  type WasmSetup,
} from './initWasm.js';
export { wasmKernelsSupported } from './kernelInstance.js';
export { WASM_KERNEL_CONFIGS } from './kernels/index.js';
export {
  type KernelThreadsInfo,
  kernelThreadsInfo,
  stopKernelThreads,
} from './kernelThreads.js';
export { registerWasmConvGradient } from './registerWasmConvGradient.js';
export { registerWasmKernels } from './registerWasmKernels.js';
