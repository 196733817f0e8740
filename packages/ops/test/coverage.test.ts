import { getGradient, getKernel } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  CPU_KERNEL_CONFIGS,
  DROPKIT_KERNEL_NAMES,
  ensureSetup,
  GRAD_CONFIGS,
} from '../src/index.js';

describe('kernel coverage', () => {
  it('every dropkit kernel has a cpu kernel and a gradient, registered by ensureSetup', () => {
    ensureSetup();
    const table = DROPKIT_KERNEL_NAMES.map((name) => ({
      name,
      cpu: getKernel(name, 'cpu') !== undefined,
      gradient: getGradient(name) !== undefined,
    }));
    expect(table.filter((r) => !r.cpu || !r.gradient)).toEqual([]);
    expect(CPU_KERNEL_CONFIGS.map((k) => k.kernelName).sort()).toEqual(
      [...DROPKIT_KERNEL_NAMES].sort(),
    );
    expect(GRAD_CONFIGS.map((g) => g.kernelName).sort()).toEqual([...DROPKIT_KERNEL_NAMES].sort());
  });
});
