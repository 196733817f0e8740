/** What an adapter says about itself (`GPUAdapter.info`), every field optional. */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/** An adapter in plain words: who made it, and whether it is a CPU implementation. */
export interface AdapterDescription {
  /** The vendor as the adapter reports it, e.g. `nvidia` or `mesa` ('' when not exposed). */
  readonly vendor: string;
  /** The architecture, e.g. `hopper` or `software` ('' when not exposed). */
  readonly architecture: string;
  /** The device name ('' when not exposed). */
  readonly device: string;
  /** The driver's description, e.g. `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)` ('' when not exposed). */
  readonly description: string;
  /**
   * True for software rasterizers (Mesa lavapipe / llvmpipe / softpipe, SwiftShader, Microsoft
   * WARP) and for any adapter flagged `isFallbackAdapter`: fine for tests, meaningless for speed.
   */
  readonly software: boolean;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render|^software$/i;

/**
 * Describes an adapter from its `GPUAdapterInfo`, and tells software adapters from hardware.
 *
 * @param info - `adapter.info` (any subset of its fields).
 * @returns vendor, architecture, device, description and whether it is software.
 * @example
 * ```ts
 * import { describeAdapter } from '@dropkit/backend-webgpu';
 * const lavapipe = describeAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7' });
 * console.log(lavapipe.software, describeAdapter({ vendor: 'nvidia', architecture: 'hopper' }).software); // true false
 * ```
 */
export function describeAdapter(info: AdapterInfoLike): AdapterDescription {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const device = info.device ?? '';
  const description = info.description ?? '';
  const software =
    info.isFallbackAdapter === true ||
    [vendor, architecture, device, description].some((s) => SOFTWARE.test(s));
  return { vendor, architecture, device, description, software };
}
