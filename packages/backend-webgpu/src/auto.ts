/**
 * Side-effect entry: `import '@dropkit/backend-webgpu/auto'` registers dropkit's WGSL kernels for
 * the `webgpu` backend at import time (the tfjs-backend-webgpu backend itself still needs
 * `initWebGpu()`, or your own setup, before `tf.setBackend('webgpu')`).
 */
import { registerWebGpuKernels } from './registerWebGpuKernels.js';

registerWebGpuKernels();
