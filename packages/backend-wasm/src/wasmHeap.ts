import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelExports } from './kernelInstance.js';
import type { HeapAccess } from './kernelThreads.js';

/**
 * What the kernels use of tfjs-backend-wasm's `BackendWasm` (4.22): its Emscripten module, for
 * `_malloc` / `_free` and the `WebAssembly.Memory`, and two public methods. Kept structural so
 * that nothing here depends on the module's private typings.
 */
export interface WasmHeapBackend {
  readonly wasm: {
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    /** The single-threaded builds export their memory from the wasm module. */
    readonly asm?: { readonly memory?: unknown };
    /** The threaded build creates a shared memory in JavaScript and keeps it here. */
    readonly wasmMemory?: unknown;
  };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  getMemoryOffset(dataId: object): number;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The `WebAssembly.Memory` behind a tfjs wasm backend: `wasm.asm.memory` in the single-threaded
 * builds, `wasm.wasmMemory` in the threaded one.
 */
export function wasmMemoryOf(backend: WasmHeapBackend): WebAssembly.Memory {
  const memory = backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new DropkitError(
      "dropkit: cannot find the WebAssembly.Memory of the tfjs wasm backend (looked at wasm.asm.memory and wasm.wasmMemory); this version of @tensorflow/tfjs-backend-wasm is not supported by @dropkit/backend-wasm's in-place kernels.",
    );
  }
  return memory;
}

/** Whether a memory is shared (tfjs's threaded build). */
export function isSharedMemory(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/** The byte offset of a float32 tensor's data on the heap; rejects any other dtype. */
export function float32Offset(backend: WasmHeapBackend, name: string, t: TensorInfo): number {
  if (t.dtype !== 'float32') {
    throw new InvalidArgumentError(
      name,
      `a ${t.dtype} tensor of shape [${t.shape}]`,
      'a float32 tensor',
    );
  }
  return backend.getMemoryOffset(t.dataId) >>> 0;
}

/**
 * Runs `body` with scratch buffers of the given sizes in bytes, allocated with the module's own
 * `malloc` (so they live on the same heap as the tensors) and freed afterwards, also on error.
 * Allocation may grow the memory: a caller that needs a view on `memory.buffer` takes it inside
 * `body`, after every allocation.
 */
export function withScratch<T>(
  backend: WasmHeapBackend,
  sizes: readonly number[],
  body: (pointers: number[]) => T,
): T {
  const pointers: number[] = [];
  try {
    for (const bytes of sizes) {
      const ptr = backend.wasm._malloc(Math.max(bytes, 16)) >>> 0;
      if (ptr === 0) {
        throw new DropkitError(
          `dropkit: the wasm heap could not allocate ${bytes} bytes of kernel scratch memory`,
        );
      }
      pointers.push(ptr);
    }
    return body(pointers);
  } finally {
    for (const ptr of pointers) backend.wasm._free(ptr);
  }
}

/**
 * Makes a float32 output of the given shape on the heap and hands its byte offset to `fill`
 * (not called for an empty shape); the output is released if `fill` throws.
 */
export function float32Output(
  backend: WasmHeapBackend,
  shape: readonly number[],
  fill: (out: number) => void,
): TensorInfo {
  const out = backend.makeOutput(shape.slice(), 'float32');
  if (shape.some((d) => d === 0)) return out;
  try {
    fill(backend.getMemoryOffset(out.dataId) >>> 0);
  } catch (err) {
    backend.disposeData(out.dataId, true);
    throw err;
  }
  return out;
}

/** n rounded up to a multiple of 32: the kernels write their scratch in groups of 32. */
export function padTo32(n: number): number {
  return Math.ceil(n / 32) * 32;
}

/** What the helper-thread pool needs of a backend: its heap and the caller's kernel instance. */
export function heapAccess(backend: WasmHeapBackend, kernels: KernelExports): HeapAccess {
  return {
    kernels,
    memory: wasmMemoryOf(backend),
    malloc: (bytes) => backend.wasm._malloc(bytes),
    free: (ptr) => backend.wasm._free(ptr),
  };
}
