import { InvalidArgumentError } from '@dropkit/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * How the benchmarks get a tfjs backend ready and how they force a result on it. A backend
 * package (wasm, webgpu) joins the benchmarks by registering one of these.
 */
export interface BenchBackend {
  /** The tfjs backend name, as given to `--backend`. */
  readonly name: string;
  /** The tfjs package that provides it, for the report, e.g. `@tensorflow/tfjs-backend-cpu`. */
  readonly packageName: string;
  /** Loads the backend, makes it the current one and waits for it; returns its package version. */
  readonly setup: () => Promise<string>;
  /**
   * Makes sure the tensor's value has been computed, as a timed call must. On cpu the kernels run
   * synchronously and `dataSync` hands back the backing array without a copy; on wasm they run
   * synchronously too, and the value is on the heap when the call returns; an asynchronous
   * device backend reads back a reduction instead of downloading the whole tensor.
   */
  readonly force: (t: tf.Tensor) => void | Promise<void>;
  /** Whether `tf.time` reports device kernel times here (WebGPU), so kernel GB/s can be given. */
  readonly kernelTimes?: boolean;
}

const backends = new Map<string, BenchBackend>();

/**
 * Makes a backend available to `dropkit-bench ops --backend <name>`.
 *
 * @param backend - {@link BenchBackend}.
 */
export function registerBenchBackend(backend: BenchBackend): void {
  backends.set(backend.name, backend);
}

/** The names `--backend` accepts, in registration order. */
export function benchBackendNames(): string[] {
  return [...backends.keys()];
}

/**
 * The registered backend of this name.
 *
 * @param name - a backend name.
 * @throws InvalidArgumentError naming `--backend` and listing the available backends.
 */
export function getBenchBackend(name: string): BenchBackend {
  const backend = backends.get(name);
  if (backend === undefined) {
    throw new InvalidArgumentError(
      '--backend',
      name,
      `one of ${benchBackendNames()
        .map((b) => `"${b}"`)
        .join(', ')} (the backends this build can benchmark)`,
    );
  }
  return backend;
}

registerBenchBackend({
  name: 'cpu',
  packageName: '@tensorflow/tfjs-backend-cpu',
  setup: async () => {
    const { version_cpu } = await import('@tensorflow/tfjs-backend-cpu');
    const { initCpu } = await import('@dropkit/backend-cpu');
    const report = await initCpu();
    return `${version_cpu} (dropkit kernels in TypeScript${report.simd ? ', dropout in WebAssembly SIMD' : ''})`;
  },
  force: (t) => {
    t.dataSync();
  },
});

/**
 * Where the bench bundle keeps tfjs-backend-wasm's binaries (set by the bundle's entry when they
 * sit beside it); unset, `initWasm` finds them in the installed package.
 */
const bundledWasmDir = (): string | undefined => process.env.DROPKIT_BENCH_WASM_DIR;

registerBenchBackend({
  name: 'wasm',
  packageName: '@tensorflow/tfjs-backend-wasm',
  setup: async () => {
    const { version_wasm } = await import('@tensorflow/tfjs-backend-wasm');
    const { initWasm } = await import('@dropkit/backend-wasm');
    const dir = bundledWasmDir();
    const setup = await initWasm(dir === undefined ? {} : { wasmPaths: dir });
    await tf.ready();
    return `${version_wasm} (SIMD ${setup.simd ? 'on' : 'off'}, threads ${setup.threads ? setup.threadsCount : 'off'}, ${setup.fusedKernels.length} fused dropkit kernels, kernel helper threads ${setup.kernelThreads})`;
  },
  // tfjs's wasm kernels, dropkit's included, run synchronously: when the call returns, its
  // output is written on the heap, so there is nothing left to wait for. Reading it out
  // (dataSync: a copy of the whole tensor off the heap, 16 MiB at 4M) is what a consumer of the
  // values pays, the same for every contender; packages/backend-wasm's bench times it apart.
  force: () => {},
});

registerBenchBackend({
  name: 'webgpu',
  packageName: '@tensorflow/tfjs-backend-webgpu',
  setup: async () => {
    const { initWebGpu } = await import('@dropkit/backend-webgpu');
    const report = await initWebGpu();
    await tf.ready();
    return `4.22.0 (adapter: ${report.description}; ${report.software ? 'software' : 'hardware'}; timestamp queries ${report.timestampQuery ? 'on' : 'off'})`;
  },
  // A device backend computes lazily: read back a sum, not the whole tensor, as anchors.md's
  // end-to-end figures do.
  force: async (t) => {
    const s = tf.sum(t);
    await s.data();
    s.dispose();
  },
  kernelTimes: true,
});
