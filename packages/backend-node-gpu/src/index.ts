export {
  initNodeGpu,
  NODE_GPU_REQUIREMENTS,
  type NodeGpuOptions,
  type NodeGpuReport,
} from './initNodeGpu.js';
