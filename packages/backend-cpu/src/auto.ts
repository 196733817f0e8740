// The one entry with a side effect (listed in package.json `sideEffects`): importing it registers
// dropkit's cpu kernels, for users who want `import '@dropkit/backend-cpu/auto'` and nothing else.
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuDropkitKernels } from './initCpu.js';

registerCpuDropkitKernels();
