import { dropout, dropoutMultipliers, rateThreshold, resolveSeed } from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { initNodeGpu, NODE_GPU_REQUIREMENTS } from '../src/index.js';

// Its own file (its own process): a failed load of the real addon registers its kernels under
// the backend name `tensorflow`, which would shadow the stand-in's.
describe('initNodeGpu with a loaded backend', () => {
  it('on a tensorflow backend the ops take the composed path with the masks of every backend', async () => {
    // A stand-in for the native backend under the same name: what the adapter controls (backend
    // switch, kernel coverage, composed path) is the same whichever kernels sit behind it.
    const load = async () => {
      tf.registerBackend('tensorflow', () => new MathBackendCPU(), 1);
      // tfjs's own cpu kernels under the new name; dropkit's are left out, as on the real one.
      for (const k of tf.getKernelsForBackend('cpu')) {
        if (!k.kernelName.startsWith('Dropkit'))
          tf.registerKernel({ ...k, backendName: 'tensorflow' });
      }
    };
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const report = await initNodeGpu({ load });
    expect(report).toMatchObject({ backend: 'tensorflow', path: 'composed', fusedKernels: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    await expectNoLeaks(() => {
      const x = tf.ones([2, 50]);
      const y = dropout(x, { rate: 0.25, seed: 9 });
      const m = dropoutMultipliers({
        ...resolveSeed(9),
        threshold: rateThreshold(0.25),
        scale: 1 / 0.75,
        noiseShape: [2, 50],
      });
      expect(Array.from(y.dataSync())).toEqual(Array.from(m));
      tf.dispose([x, y]);
    });
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/no fused DropkitDropout kernel/));
    info.mockRestore();
    expect(NODE_GPU_REQUIREMENTS).toContain('@tensorflow/tfjs-node-gpu');
  });
});
