import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AdapterDescription,
  type AdapterInfoLike,
  describeAdapter,
} from './describeAdapter.js';
import { registerWebGpuKernels } from './registerWebGpuKernels.js';
import { WebGpuUnavailableError } from './WebGpuUnavailableError.js';

/** The part of a WebGPU adapter `initWebGpu` uses (a real `GPUAdapter` fits). */
export interface AdapterLike {
  readonly info?: AdapterInfoLike;
  readonly features: { has(feature: string): boolean };
  readonly limits: object;
  requestDevice(descriptor?: object): Promise<unknown>;
}

/** The part of a WebGPU entry point `initWebGpu` uses (a real `GPU`, `navigator.gpu`, fits). */
export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'high-performance' | 'low-power';
  }): Promise<AdapterLike | null>;
}

/** Options of {@link initWebGpu}. */
export interface WebGpuInitOptions {
  /** Which adapter to ask for when there are several. Default `high-performance`, as tfjs. */
  readonly powerPreference?: 'high-performance' | 'low-power';
  /**
   * More Dawn toggles for Node (ignored in browsers), merged with the defaults
   * `enable-dawn-features=allow_unsafe_apis` and `disable-dawn-features=timestamp_quantization`
   * (without the latter every `tf.time` kernel time is a multiple of about 65 us).
   */
  readonly dawnFlags?: readonly string[];
  /** Use this entry point instead of `navigator.gpu` or Dawn (a custom Dawn instance, tests). */
  readonly gpu?: GpuLike;
  /** Make `webgpu` the active tfjs backend (default true); false only registers it. */
  readonly setBackend?: boolean;
}

/** What {@link initWebGpu} found: the adapter, and how the backend was set up. */
export interface WebGpuAdapterReport extends AdapterDescription {
  /** Where the entry point came from: `navigator.gpu`, Dawn (the `webgpu` package), or `options.gpu`. */
  readonly source: 'navigator' | 'dawn' | 'option';
  /** The Dawn toggles the GPU was created with (empty unless `source` is `dawn`). */
  readonly dawnFlags: readonly string[];
  /** Whether the device has `timestamp-query`, which `tf.time` needs for kernel times. */
  readonly timestampQuery: boolean;
}

const DEFAULT_ENABLE = ['allow_unsafe_apis'];
const DEFAULT_DISABLE = ['timestamp_quantization'];

/**
 * The default Dawn toggles plus `extra`, with `enable-` / `disable-dawn-features` lists merged
 * into one of each, so toggles a caller adds extend the defaults instead of replacing them.
 */
export function mergeDawnFlags(extra: readonly string[]): string[] {
  const enable = new Set(DEFAULT_ENABLE);
  const disable = new Set(DEFAULT_DISABLE);
  const rest: string[] = [];
  for (const flag of extra) {
    const m = /^(enable|disable)-dawn-features=(.*)$/.exec(flag);
    if (!m) {
      rest.push(flag);
      continue;
    }
    for (const toggle of (m[2] as string).split(',')) {
      if (toggle) (m[1] === 'enable' ? enable : disable).add(toggle);
    }
  }
  return [
    `enable-dawn-features=${[...enable].join(',')}`,
    `disable-dawn-features=${[...disable].join(',')}`,
    ...rest,
  ];
}

interface HostGlobals {
  navigator?: { gpu?: GpuLike };
  process?: { versions?: { node?: string } };
  GPUBufferUsage?: unknown;
}

const host = globalThis as unknown as HostGlobals;
const isNode = (): boolean => typeof host.process?.versions?.node === 'string';

const NO_DAWN =
  'WebGPU in Node needs the optional peer dependency `webgpu` (Dawn for Node): npm install webgpu';
const NO_ADAPTER_NODE =
  'Dawn found no GPU adapter. With a GPU, install its Vulkan driver (Linux) or use D3D12 (Windows) / Metal (macOS). ' +
  'Without one, on Linux install Mesa >= 24 with its software Vulkan driver lavapipe: on Debian bookworm ' +
  '`apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1` (bookworm’s own Mesa 22 is too old for Dawn), ' +
  'on Ubuntu 24.04 or later `apt-get install mesa-vulkan-drivers`; `vulkaninfo --summary` should then list llvmpipe.';
const NO_WEBGPU_BROWSER =
  'navigator.gpu is undefined: this browser or context has no WebGPU. Use a recent Chrome, Edge, Safari or Firefox ' +
  'with WebGPU enabled, on a page served over https or from localhost.';
const NO_ADAPTER_BROWSER =
  'navigator.gpu.requestAdapter() returned null: this browser has WebGPU but offers no adapter here ' +
  '(blocklisted GPU or driver, or WebGPU disabled in its settings; chrome://gpu says which).';

/** The `webgpu` package (Dawn for Node), or an error that says to install it. */
async function loadDawn(): Promise<{ create(flags: string[]): GpuLike; globals: object }> {
  // A computed specifier, so browser bundlers neither resolve nor bundle the Node-only package.
  const specifier = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as {
      create(flags: string[]): GpuLike;
      globals: object;
    };
  } catch (err) {
    throw new WebGpuUnavailableError(`${NO_DAWN} (${(err as Error).message})`);
  }
}

/** Installs Dawn's GPU* globals (GPUBufferUsage, GPUBuffer, ...) that tfjs-backend-webgpu reads. */
function installGlobals(globals: object): void {
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    }
  }
}

/** tfjs-backend-webgpu checks `navigator.gpu` before it builds a backend; Node has no such thing. */
function exposeGpu(gpu: GpuLike): void {
  if (host.navigator == null) {
    Object.defineProperty(globalThis, 'navigator', {
      value: {},
      configurable: true,
      writable: true,
    });
  }
  if (host.navigator?.gpu == null) {
    Object.defineProperty(host.navigator, 'gpu', {
      value: gpu,
      configurable: true,
      writable: true,
    });
  }
}

async function acquireGpu(
  options: WebGpuInitOptions,
): Promise<{ gpu: GpuLike; source: WebGpuAdapterReport['source']; dawnFlags: string[] }> {
  if (options.gpu) {
    if (isNode() && host.GPUBufferUsage === undefined) installGlobals((await loadDawn()).globals);
    return { gpu: options.gpu, source: 'option', dawnFlags: [] };
  }
  const native = host.navigator?.gpu;
  if (native) return { gpu: native, source: 'navigator', dawnFlags: [] };
  if (!isNode()) throw new WebGpuUnavailableError(NO_WEBGPU_BROWSER);
  const dawn = await loadDawn();
  const dawnFlags = mergeDawnFlags(options.dawnFlags ?? []);
  installGlobals(dawn.globals);
  return { gpu: dawn.create(dawnFlags), source: 'dawn', dawnFlags };
}

/** The device descriptor tfjs-backend-webgpu's own factory uses: timestamps, the adapter's limits. */
function deviceDescriptor(adapter: AdapterLike): object {
  const limits = adapter.limits as Record<string, number>;
  const requiredLimits: Record<string, number> = {};
  for (const name of [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ]) {
    const value = limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  return { requiredFeatures, requiredLimits };
}

async function setUp(options: WebGpuInitOptions): Promise<WebGpuAdapterReport> {
  registerWebGpuKernels();
  const { gpu, source, dawnFlags } = await acquireGpu(options);
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
  });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      source === 'navigator' && !isNode() ? NO_ADAPTER_BROWSER : NO_ADAPTER_NODE,
    );
  }
  const description = describeAdapter(adapter.info ?? {});
  const existing = tf.engine().registry.webgpu as WebGPUBackend | undefined;
  if (existing) {
    // Someone already runs the tfjs WebGPU backend: keep its device, only add the kernels.
    const timestampQuery = existing.device.features.has('timestamp-query');
    return { ...description, source, dawnFlags, timestampQuery };
  }
  let device: unknown;
  try {
    device = await adapter.requestDevice(deviceDescriptor(adapter));
  } catch (err) {
    throw new WebGpuUnavailableError(
      `The ${description.description || description.vendor || 'WebGPU'} adapter refused a device: ${(err as Error).message}`,
    );
  }
  // Exposed only once a device exists, so a failed attempt leaves no half-working navigator.gpu.
  exposeGpu(gpu);
  // Imported only now, after navigator.gpu exists: at import it registers its kernels, and its
  // own backend factory when it sees a navigator.gpu, which ours then replaces so the device
  // made here (with the Dawn toggles, and the adapter described above) is the one used.
  const { WebGPUBackend: Backend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  const info = adapter.info;
  tf.registerBackend(
    'webgpu',
    () => new Backend(device as GPUDevice, info as GPUAdapterInfo | undefined),
    3,
  );
  const timestampQuery = (device as GPUDevice).features.has('timestamp-query');
  return { ...description, source, dawnFlags, timestampQuery };
}

let pending: Promise<WebGpuAdapterReport> | null = null;

/**
 * Sets up the tfjs WebGPU backend with dropkit's WGSL kernels: in a browser on its
 * `navigator.gpu`; in Node on Dawn from the optional peer `webgpu`, imported only there, with
 * Dawn's timestamp quantization off so `tf.time` kernel times are real. Registers the kernels,
 * registers the backend (priority 3, as tfjs) and makes it the active one, then says which
 * adapter it got. The first call picks the device; later calls return the same report (and
 * switch to `webgpu` again unless `setBackend: false`); a failed call can be retried.
 *
 * @param options - {@link WebGpuInitOptions}.
 * @returns the adapter report; `software` is true on lavapipe, SwiftShader and the like.
 * @throws WebGpuUnavailableError when there is no WebGPU, no adapter or no device, saying what
 *   to install (in Node on Linux without a GPU: Mesa's lavapipe >= 24).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { initWebGpu } from '@dropkit/backend-webgpu';
 * import { dropout } from '@dropkit/ops';
 * const report = await initWebGpu();
 * console.log(tf.getBackend(), typeof report.software); // webgpu boolean
 * const y = dropout(tf.ones([8]), { rate: 0.5, seed: 1 });
 * console.log((await y.data()).every((v) => v === 0 || v === 2)); // true
 * ```
 */
export async function initWebGpu(options: WebGpuInitOptions = {}): Promise<WebGpuAdapterReport> {
  if (!pending) {
    pending = setUp(options).catch((err: unknown) => {
      pending = null;
      throw err;
    });
  }
  const report = await pending;
  if (options.setBackend !== false) {
    if (!(await tf.setBackend('webgpu'))) {
      throw new WebGpuUnavailableError(
        `tf.setBackend('webgpu') failed on ${report.description || 'the WebGPU adapter'}; see the warning tfjs logged.`,
      );
    }
    await tf.ready();
  }
  return report;
}
