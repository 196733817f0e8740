import { DROPKIT_KERNEL_NAMES } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

describe('@dropkit/backend-wasm/auto', () => {
  it('registers the wasm kernels and the gradients when imported, and the main entry does not', async () => {
    await import('../src/index.js');
    const registered = () =>
      DROPKIT_KERNEL_NAMES.filter((n) => tf.getKernel(n, 'wasm') !== undefined);
    expect(registered()).toEqual([]);
    await import('../src/auto.js');
    expect(registered()).toEqual([...DROPKIT_KERNEL_NAMES]);
    for (const name of DROPKIT_KERNEL_NAMES) expect(tf.getGradient(name), name).toBeDefined();
  });
});
