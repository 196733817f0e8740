// The `@dropkit/backend-wasm/kernels` entry: the AssemblyScript kernel module alone, without
// tfjs-backend-wasm (whose import registers the wasm backend). @dropkit/backend-cpu runs the
// dropout kernel from here on a memory of its own.
export { type KernelExports, kernelModuleBytes, wasmKernelsSupported } from './kernelInstance.js';
