import {
  type KernelExports,
  kernelModuleBytes,
  wasmKernelsSupported,
} from '@dropkit/backend-wasm/kernels';
import { DropkitDropout, type DropoutAttrs, dropoutImpl, unaryCpuKernel } from '@dropkit/ops';
import { type KernelConfig, util } from '@tensorflow/tfjs-core';

const PAGE = 65536;

interface SimdModule {
  readonly memory: WebAssembly.Memory;
  readonly kernels: KernelExports;
}

let simd: SimdModule | undefined;

function simdModule(bytes: number): SimdModule {
  if (simd === undefined) {
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const module = new WebAssembly.Module(kernelModuleBytes(false));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    simd = { memory, kernels: instance.exports as unknown as KernelExports };
  }
  const have = simd.memory.buffer.byteLength;
  if (have < bytes) simd.memory.grow(Math.ceil((bytes - have) / PAGE));
  return simd;
}

/**
 * dropout's cpu kernel with the Threefry rounds in WebAssembly SIMD (the AssemblyScript kernel of
 * `@dropkit/backend-wasm`, 36 elements per step: two i32x4 sets and one scalar block): x is
 * copied into a memory of this module's own, the kernel writes the result beside it, and the
 * result is copied out. Bit-identical to
 * `dropoutImpl`, the TypeScript reference, which it falls back to for broadcast noise shapes.
 *
 * @param x - the input values.
 * @param shape - x's shape.
 * @param attrs - the kernel attributes.
 * @returns the output values.
 * @example
 * ```ts
 * import { simdDropoutImpl } from '@dropkit/backend-cpu';
 * import { dropoutImpl, rateThreshold, resolveSeed } from '@dropkit/ops';
 * const x = Float32Array.from({ length: 37 }, (_, i) => i - 18);
 * const attrs = { ...resolveSeed(4), threshold: rateThreshold(0.5), scale: 2, noiseShape: [37] };
 * const same = simdDropoutImpl(x, [37], attrs).every((v, i) => Object.is(v, dropoutImpl(x, [37], attrs)[i]));
 * console.log(same); // true
 * ```
 */
export function simdDropoutImpl(
  x: Float32Array,
  shape: readonly number[],
  attrs: DropoutAttrs,
): Float32Array {
  if (!util.arraysEqual(attrs.noiseShape, shape as number[]) || x.length === 0) {
    return dropoutImpl(x, shape, attrs);
  }
  const n = x.length;
  // Input at 0, output at the next 16-byte boundary (v128 loads and stores).
  const outOffset = Math.ceil((4 * n) / 16) * 16;
  const { memory, kernels } = simdModule(outOffset + 4 * n);
  new Float32Array(memory.buffer, 0, n).set(x);
  kernels.dropout(
    0,
    outOffset,
    n,
    attrs.threshold,
    Math.fround(attrs.scale),
    attrs.seedLo,
    attrs.seedHi,
    attrs.streamLo,
    attrs.streamHi,
    0,
  );
  return new Float32Array(memory.buffer, outOffset, n).slice();
}

/** The SIMD dropout cpu kernel config (see {@link simdDropoutImpl}). */
export const simdDropoutCpuConfig: KernelConfig = unaryCpuKernel<DropoutAttrs>(
  DropkitDropout,
  simdDropoutImpl,
);

/**
 * Whether this engine runs WebAssembly SIMD, so the cpu backend can use {@link simdDropoutImpl}.
 *
 * @returns true in Node 16.4+ and current browsers.
 * @example
 * ```ts
 * import { cpuSimdSupported } from '@dropkit/backend-cpu';
 * console.log(cpuSimdSupported()); // true
 * ```
 */
export function cpuSimdSupported(): boolean {
  return wasmKernelsSupported();
}
