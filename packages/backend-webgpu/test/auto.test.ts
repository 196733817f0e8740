import { DROPKIT_KERNEL_NAMES } from '@dropkit/ops';
import { getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

describe('the ./auto entry', () => {
  it('registers every WebGPU kernel when imported, which the main entry does not', async () => {
    const registered = () =>
      DROPKIT_KERNEL_NAMES.filter((k) => getKernel(k, 'webgpu') !== undefined);
    await import('../src/index.js');
    expect(registered()).toEqual([]);
    await import('../src/auto.js');
    expect(registered()).toEqual([...DROPKIT_KERNEL_NAMES]);
  });
});
