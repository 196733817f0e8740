import { BackendUnavailableError } from '@dropkit/core';
import { DROPKIT_KERNEL_NAMES, ensureSetup, hasFusedKernel } from '@dropkit/ops';
import { getBackend, ready, setBackend } from '@tensorflow/tfjs-core';

/** What to install for @tensorflow/tfjs-node-gpu, in the words the errors use. */
export const NODE_GPU_REQUIREMENTS =
  'The tensorflow backend comes from @tensorflow/tfjs-node-gpu@4.22 (an optional peer): install it ' +
  'next to @tensorflow/tfjs-core@4.22 on Linux x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1. Its ' +
  'install script downloads libtensorflow 2.9.1 (pnpm runs it only if the package is listed in ' +
  'onlyBuiltDependencies); offline, point it at a mirror of that archive with TFJS_NODE_CDN_STORAGE ' +
  'or TFJS_NODE_BASE_URI and run `npm rebuild @tensorflow/tfjs-node-gpu`.';

/** What {@link initNodeGpu} set up. */
export interface NodeGpuReport {
  /** The tfjs backend name now active: `tensorflow`. */
  readonly backend: 'tensorflow';
  /**
   * How dropkit's ops run there: `composed`, tfjs ops with masks drawn by dropkit's Threefry in
   * JavaScript (TensorFlow's stateless random ops use Philox, which cannot give the masks every
   * other backend gives for the same seed).
   */
  readonly path: 'composed';
  /** The dropkit kernels with a fused kernel on this backend (none: see `path`). */
  readonly fusedKernels: readonly string[];
  /** A one-line description for logs. */
  readonly description: string;
}

/** Options of {@link initNodeGpu}. */
export interface NodeGpuOptions {
  /**
   * Loads the peer; by default `import('@tensorflow/tfjs-node-gpu')`. Tests and custom builds
   * (e.g. `@tensorflow/tfjs-node` for the cpu build of TensorFlow) pass their own.
   */
  readonly load?: () => Promise<unknown>;
}

const isMissingModule = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((e as Error).message).includes('tfjs-node-gpu')
  );
};

/**
 * Loads @tensorflow/tfjs-node-gpu and makes its `tensorflow` backend the active one; dropkit's ops
 * then run their composed versions (same masks as every backend) on TensorFlow's CUDA kernels.
 *
 * @param options - how to load the peer.
 * @returns the backend and the path dropkit's ops take on it.
 * @throws BackendUnavailableError when the peer is missing or libtensorflow does not load, saying
 *   what to install.
 * @example
 * ```ts
 * import { initNodeGpu } from '@dropkit/backend-node-gpu';
 * try {
 *   await initNodeGpu();
 * } catch (e) {
 *   console.log((e as Error).name); // BackendUnavailableError
 * }
 * ```
 */
export async function initNodeGpu(options: NodeGpuOptions = {}): Promise<NodeGpuReport> {
  const load = options.load ?? (() => import('@tensorflow/tfjs-node-gpu'));
  try {
    await load();
  } catch (e) {
    const reason = isMissingModule(e)
      ? '@tensorflow/tfjs-node-gpu is not installed'
      : `@tensorflow/tfjs-node-gpu did not load (libtensorflow or its CUDA libraries are missing): ${firstLine(e)}`;
    throw new BackendUnavailableError('node-gpu', reason, NODE_GPU_REQUIREMENTS, { cause: e });
  }
  ensureSetup();
  if (!(await setBackend('tensorflow'))) {
    throw new BackendUnavailableError(
      'node-gpu',
      'the tensorflow backend is not registered with this copy of @tensorflow/tfjs-core (two tfjs-core versions installed?)',
      NODE_GPU_REQUIREMENTS,
    );
  }
  await ready();
  const fusedKernels = DROPKIT_KERNEL_NAMES.filter((k) => hasFusedKernel(k));
  return {
    backend: 'tensorflow',
    path: 'composed',
    fusedKernels,
    description: `tfjs-node-gpu (${getBackend()}), dropkit ops composed from TensorFlow kernels`,
  };
}

function firstLine(e: unknown): string {
  return String((e as Error | null)?.message ?? e).split('\n')[0] ?? '';
}
