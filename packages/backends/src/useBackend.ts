import type { InitWasmOptions } from '@dropkit/backend-wasm';
import type { WebGpuInitOptions } from '@dropkit/backend-webgpu';
import { assertOneOf, BackendUnavailableError } from '@dropkit/core';
import { DROPKIT_KERNEL_NAMES, hasFusedKernel } from '@dropkit/ops';
import { getBackend } from '@tensorflow/tfjs-core';

/** The backends `useBackend` can set up, and `auto`. */
export const BACKEND_REQUESTS = ['webgpu', 'wasm', 'cpu', 'node-gpu', 'auto'] as const;
/** A backend to set up, or `auto` for the best one available. */
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
/** A backend that can be set up. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** One backend `useBackend` tried, and what came of it. */
export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** The backend's own description when it worked, else why it was not taken. */
  readonly detail: string;
}

/** What {@link useBackend} set up. */
export interface BackendChoice {
  /** What was asked for. */
  readonly requested: BackendRequest;
  /** The backend now active. */
  readonly name: BackendName;
  /** Its tfjs name (`tf.getBackend()`): `webgpu`, `wasm`, `cpu` or `tensorflow`. */
  readonly tfBackend: string;
  /** Why this backend: the request, or for `auto` the reasons the ones before it were passed over. */
  readonly reason: string;
  /** Every backend tried, in order. */
  readonly attempts: readonly BackendAttempt[];
  /** The dropkit kernels with a fused kernel here (the rest run their composed versions). */
  readonly fusedKernels: readonly string[];
  /** The backend package's own report (adapter, SIMD, ...). */
  readonly report: unknown;
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * With `auto`, take a software WebGPU adapter (Mesa lavapipe, SwiftShader) over wasm. Default
   * false: a CPU emulating a GPU is slower than WASM SIMD on the same CPU.
   */
  readonly allowSoftwareGpu?: boolean;
  /**
   * With `auto`, try `@tensorflow/tfjs-node-gpu` in Node (default true). Its failure costs one
   * failed module load.
   */
  readonly tryNodeGpu?: boolean;
  /** Passed to `initWasm` of `@dropkit/backend-wasm` (e.g. where its .wasm files are served). */
  readonly wasm?: InitWasmOptions;
  /** Passed to `initWebGpu` of `@dropkit/backend-webgpu`. */
  readonly webgpu?: WebGpuInitOptions;
}

interface Setup {
  readonly description: string;
  readonly report: unknown;
  /** Set when the backend works but `auto` should pass it over, with the reason. */
  readonly passOver?: string;
}

const isNode = (): boolean =>
  typeof process !== 'undefined' && typeof process.versions?.node === 'string';

// Each setup imports its backend package on demand, so a program that asks for wasm never loads
// Dawn, and a browser bundle can leave the node-only adapter out.
const SETUPS: Record<BackendName, (o: UseBackendOptions) => Promise<Setup>> = {
  webgpu: async (o) => {
    const { initWebGpu } = await import('@dropkit/backend-webgpu');
    const report = await initWebGpu(o.webgpu);
    const software = report.software;
    return {
      description: `${report.description} (${software ? 'software' : 'hardware'} adapter)`,
      report,
      ...(software && !o.allowSoftwareGpu
        ? {
            passOver: `its adapter is software (${report.description}), slower than WASM SIMD on the same CPU`,
          }
        : {}),
    };
  },
  'node-gpu': async () => {
    if (!isNode()) {
      throw new BackendUnavailableError(
        'node-gpu',
        'this is not Node.js',
        'Use webgpu or wasm in a browser.',
      );
    }
    // A computed specifier keeps bundlers from pulling the Node-only adapter into browser builds.
    const specifier = ['@dropkit', 'backend-node-gpu'].join('/');
    const { initNodeGpu } = (await import(
      /* @vite-ignore */ specifier
    )) as typeof import('@dropkit/backend-node-gpu');
    const report = await initNodeGpu();
    return { description: report.description, report };
  },
  wasm: async (o) => {
    const helpers = (k: number, note: string) =>
      k === 0
        ? `no helper threads (${note})`
        : `${k} helper thread${k === 1 ? '' : 's'} for the elementwise kernels`;
    const { initWasm } = await import('@dropkit/backend-wasm');
    const report = await initWasm(o.wasm);
    const threads = report.threads ? `${report.threadsCount} threads` : 'no threads';
    return {
      description: `tfjs wasm (SIMD ${report.simd ? 'on' : 'off'}, ${threads}), ${report.fusedKernels.length} fused dropkit kernels, ${helpers(report.kernelThreads, report.kernelThreadsNote)}`,
      report,
    };
  },
  cpu: async () => {
    const { initCpu } = await import('@dropkit/backend-cpu');
    const report = await initCpu();
    return { description: report.description, report };
  },
};

/** The order `auto` tries backends in: fastest first. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'node-gpu', 'wasm', 'cpu'];

function firstLine(e: unknown): string {
  return (String((e as Error | null)?.message ?? e).split('\n')[0] ?? '').trim();
}

/**
 * Sets up a tfjs backend with dropkit's fused kernels and makes it the active one, in Node and in
 * browsers alike; `auto` takes the best one available and says why.
 *
 * @param request - `webgpu`, `wasm`, `cpu`, `node-gpu` or `auto` (default).
 * @param options - {@link UseBackendOptions}.
 * @returns the backend chosen, why, and what was tried.
 * @throws InvalidArgumentError for an unknown request; BackendUnavailableError when the requested
 *   backend (or, for `auto`, every backend) cannot run here.
 * @example
 * ```ts
 * import { useBackend } from '@dropkit/backends';
 * const choice = await useBackend('cpu');
 * console.log(choice.name, choice.tfBackend); // cpu cpu
 * console.log(choice.fusedKernels.length); // 6
 * ```
 */
export async function useBackend(
  request: BackendRequest = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendChoice> {
  assertOneOf('backend', request, BACKEND_REQUESTS);
  const attempts: BackendAttempt[] = [];
  const order =
    request === 'auto'
      ? AUTO_ORDER.filter((b) => b !== 'node-gpu' || (options.tryNodeGpu !== false && isNode()))
      : [request];
  for (const name of order) {
    let setup: Setup;
    try {
      setup = await SETUPS[name](options);
    } catch (e) {
      attempts.push({ name, ok: false, detail: firstLine(e) });
      if (request !== 'auto') {
        throw e instanceof BackendUnavailableError
          ? e
          : new BackendUnavailableError(
              name,
              firstLine(e),
              `See the README of @dropkit/backend-${name}.`,
              { cause: e },
            );
      }
      continue;
    }
    if (request === 'auto' && setup.passOver !== undefined && name !== order[order.length - 1]) {
      attempts.push({ name, ok: false, detail: setup.passOver });
      continue;
    }
    attempts.push({ name, ok: true, detail: setup.description });
    const passed = attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.detail}`);
    const reason =
      request !== 'auto'
        ? `requested ${name}`
        : passed.length === 0
          ? `${name} is the fastest backend available (${setup.description})`
          : `${name} (${setup.description}); passed over ${passed.join('; ')}`;
    return {
      requested: request,
      name,
      tfBackend: getBackend(),
      reason,
      attempts,
      fusedKernels: DROPKIT_KERNEL_NAMES.filter((k) => hasFusedKernel(k)),
      report: setup.report,
    };
  }
  throw new BackendUnavailableError(
    'auto',
    `no backend could be set up (${attempts.map((a) => `${a.name}: ${a.detail}`).join('; ')})`,
    'Install @tensorflow/tfjs-backend-cpu at least.',
  );
}
