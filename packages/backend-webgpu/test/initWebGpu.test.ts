import { DROPKIT_KERNEL_NAMES, hasFusedKernel } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeAdapter, initWebGpu } from '../src/index.js';
import { mergeDawnFlags } from '../src/initWebGpu.js';
import { useWebGpu } from './helpers.js';

const webgpu = useWebGpu();

describe('initWebGpu on lavapipe', () => {
  it('reports a software adapter from Mesa, set up through Dawn with the profiling toggles', () => {
    const report = webgpu.report();
    expect(report.software).toBe(true);
    expect(report.vendor).toBe('mesa');
    expect(report.description).toMatch(/llvmpipe/);
    expect(report.source).toBe('dawn');
    expect(report.dawnFlags).toEqual([
      'enable-dawn-features=allow_unsafe_apis',
      'disable-dawn-features=timestamp_quantization',
    ]);
    expect(report.timestampQuery).toBe(true);
  });

  it('makes webgpu the active backend with a fused kernel for every dropkit kernel', () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(DROPKIT_KERNEL_NAMES.filter((k) => !hasFusedKernel(k))).toEqual([]);
  });

  it('returns the same report on later calls, and switches back to webgpu unless told not to', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    expect(await initWebGpu({ setBackend: false })).toBe(webgpu.report());
    expect(tf.getBackend()).toBe('cpu');
    expect(await initWebGpu()).toBe(webgpu.report());
    expect(tf.getBackend()).toBe('webgpu');
  });
});

describe('mergeDawnFlags', () => {
  it('adds toggles to the default lists and passes other options through', () => {
    expect(
      mergeDawnFlags([
        'enable-dawn-features=dump_shaders,allow_unsafe_apis',
        'disable-dawn-features=lazy_clear_resource_on_first_use',
        'backend=vulkan',
      ]),
    ).toEqual([
      'enable-dawn-features=allow_unsafe_apis,dump_shaders',
      'disable-dawn-features=timestamp_quantization,lazy_clear_resource_on_first_use',
      'backend=vulkan',
    ]);
  });
});

describe('describeAdapter', () => {
  it.each([
    [{ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7' }, true],
    [
      {
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader Device (Subzero)',
      },
      true,
    ],
    [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }, false],
    [{ vendor: 'apple', architecture: 'metal-3' }, false],
    [{ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true }, true],
    [{}, false],
  ])('%j -> software %s', (info, software) => {
    const d = describeAdapter(info);
    expect(d.software).toBe(software);
    expect(d.vendor).toBe((info as { vendor?: string }).vendor ?? '');
  });
});
