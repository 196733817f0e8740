import { assertInteger, DropkitError, InvalidArgumentError } from '@dropkit/core';
import { DROPKIT_KERNEL_NAMES } from '@dropkit/ops';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { env, findBackend, getBackend, getKernel, setBackend } from '@tensorflow/tfjs-core';
import { compiledKernelModule, prepareKernelInstance } from './kernelInstance.js';
import { kernelThreadsUnavailable, setKernelThreads } from './kernelThreads.js';
import { registerWasmConvGradient } from './registerWasmConvGradient.js';
import { registerWasmKernels } from './registerWasmKernels.js';
import { isSharedMemory, type WasmHeapBackend, wasmMemoryOf } from './wasmHeap.js';

/** The file names of tfjs-backend-wasm's three binaries. */
export type WasmBinaryName =
  | 'tfjs-backend-wasm.wasm'
  | 'tfjs-backend-wasm-simd.wasm'
  | 'tfjs-backend-wasm-threaded-simd.wasm';

/** Where each of tfjs-backend-wasm's binaries is served from (all three are required). */
export type WasmFileMap = Readonly<Record<WasmBinaryName, string>>;

const BINARY_NAMES: readonly WasmBinaryName[] = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

/** Options of {@link initWasm}. */
export interface InitWasmOptions {
  /**
   * Where tfjs-backend-wasm's `.wasm` binaries are: a folder or URL prefix ending in `/`, or a
   * {@link WasmFileMap} (what a bundler hands out, e.g. Vite's `?url` imports). Default: in Node,
   * the `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm`; elsewhere tfjs's own
   * default, the folder of the script that loaded it. dropkit's kernels need no path: their
   * module is embedded in the JavaScript.
   */
  readonly wasmPaths?: string | WasmFileMap;
  /** Fetch the binaries with tfjs's platform fetch (`tf.env().platform.fetch`). Default false. */
  readonly usePlatformFetch?: boolean;
  /** The size of tfjs's thread pool in its threaded build (`setThreadsCount`). Default: tfjs's. */
  readonly threadsCount?: number;
  /** Make `wasm` the current backend. Default true; false initializes it and switches back. */
  readonly setBackend?: boolean;
  /**
   * Helper threads for dropkit's dropout and alpha dropout (same-shape masks), Gaussian dropout
   * and standout kernels, from 2^18 elements on: they do part of the tensor while the calling thread does the
   * rest, with the same values as one thread. 0 turns them off. Default: the logical cores less one, at most
   * 7. They need SharedArrayBuffer (in a browser, a cross-origin isolated page); without it
   * there are none and `WasmSetup.kernelThreadsNote` says why. This is apart from tfjs's own
   * thread pool (`threadsCount`), which tfjs does not use in Node.
   */
  readonly kernelThreads?: number;
}

/** What {@link initWasm} set up. */
export interface WasmSetup {
  /** The tfjs backend name. */
  readonly backend: 'wasm';
  /** Whether `wasm` is the current backend now. */
  readonly current: boolean;
  /** Whether tfjs runs its SIMD build. */
  readonly simd: boolean;
  /** Whether tfjs runs its threaded build (its memory is then a SharedArrayBuffer). */
  readonly threads: boolean;
  /** tfjs's thread count (1 without threads). */
  readonly threadsCount: number;
  /** What was handed to tfjs's `setWasmPaths` (null: tfjs's default was left alone). */
  readonly wasmPaths: string | WasmFileMap | null;
  /**
   * The dropkit kernels running fused on this backend, in place on tfjs's heap (empty where the
   * engine lacks WebAssembly SIMD: the ops then use their composed fallback).
   */
  readonly fusedKernels: readonly string[];
  /**
   * How many helper threads dropkit's dropout, alpha dropout, Gaussian dropout and standout
   * kernels have (0: they run on the calling thread alone).
   */
  readonly kernelThreads: number;
  /** Why there are that many (the default, the option, or what is missing). */
  readonly kernelThreadsNote: string;
}

// The paths this module handed to tfjs, to tell a repeated call from a conflicting one.
let appliedPaths: string | WasmFileMap | null = null;

const samePaths = (a: string | WasmFileMap | null, b: string | WasmFileMap): boolean =>
  typeof a === 'string' || typeof b === 'string' || a === null
    ? a === b
    : BINARY_NAMES.every((name) => a[name] === b[name]);

const NODE_MODULE = 'node:module';

/**
 * The `dist/` folder of the installed tfjs-backend-wasm in Node, null elsewhere. The import of
 * `node:module` is dynamic with a computed name, so that bundlers for the browser leave it alone.
 */
async function installedWasmFolder(): Promise<string | null> {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  if (typeof proc?.versions?.node !== 'string') return null;
  const { createRequire } = (await import(
    /* @vite-ignore */ /* webpackIgnore: true */ NODE_MODULE
  )) as {
    createRequire(from: string): { resolve(id: string): string };
  };
  const manifest = createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/package.json',
  );
  return `${manifest.slice(0, -'package.json'.length)}dist/`;
}

/** The most helper threads `kernelThreads` may ask for. */
const MAX_KERNEL_THREADS = 64;
/** The most the default starts. */
const DEFAULT_KERNEL_THREADS_CAP = 7;

const NODE_OS = 'node:os';

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` elsewhere. */
async function logicalCores(): Promise<number> {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  if (typeof proc?.versions?.node === 'string') {
    const os = (await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_OS)) as {
      availableParallelism?: () => number;
      cpus(): unknown[];
    };
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Starts (or resizes, or stops) the dropout kernel's helpers; returns their count and why. */
async function startKernelThreads(
  requested: number | undefined,
  fused: boolean,
): Promise<{ count: number; note: string }> {
  if (!fused) return { count: 0, note: 'no fused kernels (no WebAssembly SIMD)' };
  const missing = kernelThreadsUnavailable();
  if (missing !== null) {
    await setKernelThreads(0, () => compiledKernelModule(true));
    return { count: 0, note: missing };
  }
  let size = requested;
  let note = `kernelThreads: ${requested}`;
  if (size === undefined) {
    const cores = await logicalCores();
    size = Math.max(0, Math.min(DEFAULT_KERNEL_THREADS_CAP, cores - 1));
    note = `the default: ${cores} logical cores less one, at most ${DEFAULT_KERNEL_THREADS_CAP}`;
  }
  const pool = await setKernelThreads(size, () => compiledKernelModule(true));
  return { count: pool?.size ?? 0, note };
}

function checkOptions(options: InitWasmOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, 'an object (InitWasmOptions)');
  }
  const {
    wasmPaths,
    usePlatformFetch,
    threadsCount,
    setBackend: switchTo,
    kernelThreads,
  } = options;
  if (wasmPaths !== undefined && typeof wasmPaths !== 'string') {
    const ok =
      typeof wasmPaths === 'object' &&
      wasmPaths !== null &&
      BINARY_NAMES.every(
        (name) => typeof (wasmPaths as Record<string, unknown>)[name] === 'string',
      );
    if (!ok) {
      throw new InvalidArgumentError(
        'wasmPaths',
        wasmPaths,
        `a path prefix ending in "/" or an object with a URL for each of ${BINARY_NAMES.join(', ')}`,
      );
    }
  }
  if (usePlatformFetch !== undefined && typeof usePlatformFetch !== 'boolean') {
    throw new InvalidArgumentError('usePlatformFetch', usePlatformFetch, 'true or false');
  }
  if (threadsCount !== undefined) assertInteger('threadsCount', threadsCount, { min: 1 });
  if (kernelThreads !== undefined) {
    assertInteger('kernelThreads', kernelThreads, { min: 0, max: MAX_KERNEL_THREADS });
  }
  if (switchTo !== undefined && typeof switchTo !== 'boolean') {
    throw new InvalidArgumentError('setBackend', switchTo, 'true or false');
  }
}

/**
 * Sets up tfjs's WASM backend with dropkit's fused SIMD kernels: points tfjs at its `.wasm`
 * binaries (in Node, the installed package; in a browser, `wasmPaths`), registers the kernels
 * ({@link registerWasmKernels}), initializes the backend, makes it current, and compiles the
 * kernels for its memory ahead of the first call. Safe to call again; paths and thread count
 * take effect only before the backend is first initialized.
 *
 * @param options - {@link InitWasmOptions}.
 * @returns what is in use: SIMD, threads, the fused kernels.
 * @throws InvalidArgumentError for malformed options; DropkitError when paths or a thread count
 *   arrive after the backend was initialized with others, or when the backend fails to start.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropout } from '@dropkit/ops';
 * import { initWasm } from '@dropkit/backend-wasm';
 * const setup = await initWasm();
 * console.log(tf.getBackend(), setup.simd, setup.fusedKernels.includes('DropkitDropout')); // wasm true true
 * const y = dropout(tf.ones([2, 4]), { rate: 0.5, seed: 42 });
 * console.log(y.dataSync().every((v) => v === 0 || v === 2)); // true
 * ```
 */
export async function initWasm(options: InitWasmOptions = {}): Promise<WasmSetup> {
  checkOptions(options);
  const initialized = findBackend('wasm') != null;
  let wasmPaths: string | WasmFileMap | null = appliedPaths;
  if (!initialized) {
    wasmPaths = options.wasmPaths ?? (await installedWasmFolder());
    if (wasmPaths !== null) {
      setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0], options.usePlatformFetch);
    }
    if (options.threadsCount !== undefined) setThreadsCount(options.threadsCount);
  } else if (
    (options.wasmPaths !== undefined && !samePaths(appliedPaths, options.wasmPaths)) ||
    options.threadsCount !== undefined
  ) {
    throw new DropkitError(
      'initWasm: the tfjs wasm backend is already initialized, so wasmPaths and threadsCount can no longer take effect; pass them to the first initWasm call, before anything selects the wasm backend.',
    );
  }
  appliedPaths = wasmPaths;
  registerWasmKernels();
  // tfjs-backend-wasm 4.22 cannot train a convolution's filter without it.
  registerWasmConvGradient();
  const previous = getBackend();
  if (!(await setBackend('wasm'))) {
    throw new DropkitError(
      'initWasm: tf.setBackend("wasm") failed; check that the .wasm binaries are served where wasmPaths says (see the README of @dropkit/backend-wasm).',
    );
  }
  const backend = findBackend('wasm') as unknown as WasmHeapBackend;
  if (options.setBackend === false && previous != null && previous !== 'wasm') {
    await setBackend(previous);
  }
  const fusedKernels = DROPKIT_KERNEL_NAMES.filter((name) => getKernel(name, 'wasm') !== undefined);
  if (fusedKernels.length > 0) await prepareKernelInstance(backend);
  const helpers = await startKernelThreads(options.kernelThreads, fusedKernels.length > 0);
  return {
    backend: 'wasm',
    current: getBackend() === 'wasm',
    simd: (await env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    threads: isSharedMemory(wasmMemoryOf(backend)),
    threadsCount: getThreadsCount(),
    wasmPaths,
    fusedKernels,
    kernelThreads: helpers.count,
    kernelThreadsNote: helpers.note,
  };
}
