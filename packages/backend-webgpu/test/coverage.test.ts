import { DROPKIT_KERNEL_NAMES } from '@dropkit/ops';
import { getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWebGpuKernels, WEBGPU_KERNEL_CONFIGS } from '../src/index.js';

describe('kernel coverage', () => {
  it('WEBGPU_KERNEL_CONFIGS has one webgpu kernel per dropkit kernel name', () => {
    expect(WEBGPU_KERNEL_CONFIGS.map((k) => k.kernelName).sort()).toEqual(
      [...DROPKIT_KERNEL_NAMES].sort(),
    );
    expect(WEBGPU_KERNEL_CONFIGS.every((k) => k.backendName === 'webgpu')).toBe(true);
  });

  it('importing the package registers nothing; registerWebGpuKernels registers all, once', () => {
    expect(DROPKIT_KERNEL_NAMES.filter((k) => getKernel(k, 'webgpu') !== undefined)).toEqual([]);
    expect(registerWebGpuKernels().sort()).toEqual([...DROPKIT_KERNEL_NAMES].sort());
    expect(DROPKIT_KERNEL_NAMES.filter((k) => getKernel(k, 'webgpu') === undefined)).toEqual([]);
    expect(registerWebGpuKernels()).toEqual([]);
  });
});
