import { DropkitError } from '@dropkit/core';
import { KERNELS_WASM } from './generated/kernelsWasm.js';
import { isSharedMemory, type WasmHeapBackend, wasmMemoryOf } from './wasmHeap.js';

/**
 * The exports of the AssemblyScript module (assembly/index.ts). Pointers are byte offsets into
 * tfjs's memory; key words are (seedLo, seedHi, streamLo, streamHi).
 */
export interface KernelExports {
  dropout(
    x: number,
    out: number,
    n: number,
    threshold: number,
    scale: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    first: number,
  ): void;
  dropBits(
    bits: number,
    first: number,
    blocks: number,
    threshold: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
  applyDropBits(x: number, out: number, bits: number, n: number, scale: number): void;
  dropMask(
    out: number,
    count: number,
    threshold: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
  dropoutBroadcast(
    x: number,
    out: number,
    mask: number,
    desc: number,
    rank: number,
    scale: number,
  ): void;
  alphaDropout(
    x: number,
    out: number,
    n: number,
    threshold: number,
    a: number,
    b: number,
    alphaP: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    first: number,
  ): void;
  applyAlphaBits(
    x: number,
    out: number,
    bits: number,
    n: number,
    a: number,
    b: number,
    alphaP: number,
  ): void;
  alphaDropoutBroadcast(
    x: number,
    out: number,
    mask: number,
    desc: number,
    rank: number,
    a: number,
    b: number,
    alphaP: number,
  ): void;
  gaussianDropout(
    x: number,
    out: number,
    n: number,
    stddev: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    first: number,
  ): void;
  standout(
    x: number,
    a: number,
    out: number,
    n: number,
    alpha: number,
    beta: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    first: number,
  ): void;
  uniform24(out: number, count: number, k0: number, k1: number, k2: number, k3: number): void;
  probThresholds(
    guide: number,
    thr: number,
    sat: number,
    sv: number,
    n: number,
    h: number,
    w: number,
    c: number,
    bs: number,
    nhwc: number,
    gamma: number,
    plain: number,
  ): void;
  dropBlockMask(
    u: number,
    thr: number,
    dropped: number,
    paddedBytes: number,
    n: number,
    cm: number,
    h: number,
    w: number,
    bs: number,
    nhwc: number,
    plain: number,
  ): number;
  applyBlockMask(
    x: number,
    out: number,
    dropped: number,
    n: number,
    h: number,
    w: number,
    c: number,
    cm: number,
    nhwc: number,
    scale: number,
  ): void;
  normalNoise(out: number, count: number, k0: number, k1: number, k2: number, k3: number): void;
  threefryWords(
    out: number,
    form: number,
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
}

function decode(lines: readonly string[]): Uint8Array<ArrayBuffer> {
  const text = atob(lines.join(''));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// The import section (id 2) of the embedded module: one import, env.memory, limits flags 0
// (unshared, no maximum) and minimum 0; and the same import of a shared memory with tfjs's
// threaded maximum of 65536 pages (flags 3, minimum 0, maximum LEB128 80 80 04).
const ENV_MEMORY = [0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02];
const UNSHARED_IMPORTS = [...ENV_MEMORY, 0x00, 0x00];
const SHARED_IMPORTS = [...ENV_MEMORY, 0x03, 0x00, 0x80, 0x80, 0x04];

/** Reads an unsigned LEB128 number at `at`; returns it and the offset after it. */
function leb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++] as number;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, i];
    shift += 7;
  }
}

/**
 * The module importing a shared memory instead: the AssemblyScript builds for the two memories
 * differ only in the import section (test/module.test.ts compares this with a shared build), so
 * one binary is embedded and its import section swapped here.
 */
function withSharedMemoryImport(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at] as number;
    const [size, start] = leb(bytes, at + 1);
    const payload = bytes.subarray(start, start + size);
    if (id === 2) {
      if (
        payload.length !== UNSHARED_IMPORTS.length ||
        payload.some((b, i) => b !== UNSHARED_IMPORTS[i])
      ) {
        break;
      }
      const out = new Uint8Array(bytes.length + SHARED_IMPORTS.length - UNSHARED_IMPORTS.length);
      out.set(bytes.subarray(0, at + 1));
      // Both sizes fit in one LEB128 byte.
      out[at + 1] = SHARED_IMPORTS.length;
      out.set(SHARED_IMPORTS, at + 2);
      out.set(bytes.subarray(start + size), at + 2 + SHARED_IMPORTS.length);
      return out;
    }
    at = start + size;
  }
  throw new DropkitError('dropkit: unexpected import section in the embedded kernel module');
}

/**
 * The module's bytes: the variant importing a shared memory (for tfjs's threaded build) or an
 * unshared one.
 *
 * @param shared - which variant.
 * @returns the WebAssembly binary.
 * @example
 * ```ts
 * import { kernelModuleBytes } from '@dropkit/backend-wasm/kernels';
 * console.log(WebAssembly.validate(kernelModuleBytes(false))); // true
 * ```
 */
export function kernelModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const bytes = decode(KERNELS_WASM);
  return shared ? withSharedMemoryImport(bytes) : bytes;
}

let supported: boolean | undefined;

/**
 * Whether this JavaScript engine can run the kernels (WebAssembly with fixed-width SIMD, which
 * every current browser, Node 16.4+, Deno and Bun have).
 *
 * @returns true when the module validates.
 * @example
 * ```ts
 * import { wasmKernelsSupported } from '@dropkit/backend-wasm';
 * console.log(wasmKernelsSupported()); // true
 * ```
 */
export function wasmKernelsSupported(): boolean {
  supported ??= typeof WebAssembly === 'object' && WebAssembly.validate(kernelModuleBytes(false));
  return supported;
}

const modules = new Map<boolean, WebAssembly.Module>();
const instances = new WeakMap<WebAssembly.Memory, KernelExports>();

function cache(memory: WebAssembly.Memory, instance: WebAssembly.Instance): KernelExports {
  const exports = instance.exports as unknown as KernelExports;
  instances.set(memory, exports);
  return exports;
}

/**
 * The kernels instantiated on the memory of this tfjs wasm backend, made on first use (one
 * instance per memory, so a re-created backend gets its own). Synchronous compilation is what a
 * kernel can do; `initWasm` compiles asynchronously beforehand, which browsers prefer on their
 * main thread.
 */
export function kernelInstance(backend: WasmHeapBackend): KernelExports {
  const memory = wasmMemoryOf(backend);
  const cached = instances.get(memory);
  if (cached) return cached;
  const shared = isSharedMemory(memory);
  let module = modules.get(shared);
  if (!module) {
    module = new WebAssembly.Module(kernelModuleBytes(shared));
    modules.set(shared, module);
  }
  return cache(memory, new WebAssembly.Instance(module, { env: { memory } }));
}

/** The compiled module (the build importing a shared memory, or an unshared one), made once. */
export async function compiledKernelModule(shared: boolean): Promise<WebAssembly.Module> {
  let module = modules.get(shared);
  if (!module) {
    module = await WebAssembly.compile(kernelModuleBytes(shared));
    modules.set(shared, module);
  }
  return module;
}

/**
 * Compiles and instantiates the kernels for this backend's memory asynchronously, so that no
 * kernel call has to do it synchronously.
 */
export async function prepareKernelInstance(backend: WasmHeapBackend): Promise<KernelExports> {
  const memory = wasmMemoryOf(backend);
  const cached = instances.get(memory);
  if (cached) return cached;
  const module = await compiledKernelModule(isSharedMemory(memory));
  return cache(memory, await WebAssembly.instantiate(module, { env: { memory } }));
}
