import {
  DROPKIT_KERNEL_NAMES,
  dropout,
  dropoutImpl,
  hasFusedKernel,
  rateThreshold,
  resolveSeed,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { CPU_KERNEL_CONFIGS, initCpu, registerCpuDropkitKernels } from '../src/index.js';

describe('initCpu', () => {
  it('makes cpu the active backend with a fused kernel for every dropkit kernel', async () => {
    const report = await initCpu();
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(DROPKIT_KERNEL_NAMES.filter((k) => !hasFusedKernel(k))).toEqual([]);
    expect(CPU_KERNEL_CONFIGS.map((k) => k.backendName)).toEqual(
      DROPKIT_KERNEL_NAMES.map(() => 'cpu'),
    );
    // Registering again is a no-op and says so.
    expect(registerCpuDropkitKernels()).toEqual([]);
  });

  it('runs ops on the fused kernels (no fallback notice) with the reference output', async () => {
    await initCpu();
    const info = vi.spyOn(console, 'info');
    await expectNoLeaks(() => {
      const x = tf.randomNormal([1001], 0, 1, 'float32', 5);
      const y = dropout(x, { rate: 0.3, seed: 42 });
      const expected = dropoutImpl(x.dataSync() as Float32Array, [1001], {
        ...resolveSeed(42),
        threshold: rateThreshold(0.3),
        scale: 1 / 0.7,
        noiseShape: [1001],
      });
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected));
      tf.dispose([x, y]);
    });
    expect(info).not.toHaveBeenCalled();
    info.mockRestore();
  });
});

describe('the ./auto entry', () => {
  it('registers the kernels on import, so ops find them before any init call', async () => {
    await import('../src/auto.js');
    expect(tf.getKernel('DropkitDropout', 'cpu')).toBeDefined();
  });
});
