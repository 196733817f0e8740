import { DROPKIT_KERNEL_NAMES, GRAD_CONFIGS } from '@dropkit/ops';
import { describe, expect, it } from 'vitest';
import { WASM_KERNEL_CONFIGS } from '../src/index.js';

describe('kernel coverage', () => {
  it('WASM_KERNEL_CONFIGS has one wasm kernel for every dropkit kernel, each with a gradient', () => {
    const table = DROPKIT_KERNEL_NAMES.map((name) => ({
      name,
      wasm: WASM_KERNEL_CONFIGS.filter((k) => k.kernelName === name && k.backendName === 'wasm')
        .length,
      gradient: GRAD_CONFIGS.some((g) => g.kernelName === name),
    }));
    expect(table.filter((r) => r.wasm !== 1 || !r.gradient)).toEqual([]);
    expect(WASM_KERNEL_CONFIGS).toHaveLength(DROPKIT_KERNEL_NAMES.length);
  });
});
