import { BackendUnavailableError } from '@dropkit/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initNodeGpu } from '../src/index.js';

const expectRemedy = (message: string) => {
  for (const needle of ['CUDA 11.2', 'cuDNN 8.1', 'TFJS_NODE_CDN_STORAGE', 'TFJS_NODE_BASE_URI']) {
    expect(message).toContain(needle);
  }
};

describe('initNodeGpu', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('with the peer as installed here: a working tensorflow backend, or an error saying what to install', async () => {
    // This machine (and CI) installs the package without its install script, so libtensorflow is
    // absent and the native addon cannot load; on a CUDA host with the addon it must succeed.
    let report: Awaited<ReturnType<typeof initNodeGpu>> | undefined;
    let error: unknown;
    try {
      report = await initNodeGpu();
    } catch (e) {
      error = e;
    }
    if (report) {
      expect(report.backend).toBe('tensorflow');
      expect(tf.getBackend()).toBe('tensorflow');
    } else {
      expect(error).toBeInstanceOf(BackendUnavailableError);
      const e = error as BackendUnavailableError;
      expect(e.backend).toBe('node-gpu');
      expect(e.message).toMatch(/did not load/);
      expect(e.cause).toBeDefined();
      expectRemedy(e.message);
    }
  });

  it('says the peer is not installed when Node cannot find it', async () => {
    const missing = () =>
      import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node-gpu-absent'].join('/'));
    const e = await initNodeGpu({ load: missing }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect((e as Error).message).toMatch(/is not installed|did not load/);
    expectRemedy((e as Error).message);
  });
});
