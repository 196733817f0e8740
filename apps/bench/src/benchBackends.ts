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
   * synchronously and `dataSync` hands back the backing array without a copy; an asynchronous
   * device backend would read back a reduction instead of downloading the whole tensor.
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
    if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed.');
    await tf.ready();
    return version_cpu;
  },
  force: (t) => {
    t.dataSync();
  },
});
