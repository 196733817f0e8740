import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type AdapterLike,
  type GpuLike,
  initWebGpu,
  WebGpuUnavailableError,
} from '../src/index.js';

// This file never sets up a real device: every GPU here is a stand-in.
const noAdapter: GpuLike = { requestAdapter: async () => null };

function refusingAdapter(): AdapterLike {
  return {
    info: { vendor: 'acme', description: 'Acme GPU 9000' },
    features: new Set<string>(),
    limits: {},
    requestDevice: async () => {
      throw new Error('device lost');
    },
  };
}

describe('initWebGpu errors', () => {
  it('says to install lavapipe >= 24 when Node finds no adapter', async () => {
    const err = await initWebGpu({ gpu: noAdapter }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect((err as Error).message).toMatch(/lavapipe/);
    expect((err as Error).message).toMatch(/Mesa >= 24/);
    expect((err as Error).message).toMatch(/bookworm-backports mesa-vulkan-drivers/);
  });

  it('names the adapter and the reason when it refuses a device, and can be retried', async () => {
    const err = await initWebGpu({ gpu: { requestAdapter: async () => refusingAdapter() } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebGpuUnavailableError);
    expect((err as Error).message).toBe('The Acme GPU 9000 adapter refused a device: device lost');
    // A failure registers nothing and leaves no navigator.gpu stand-in behind.
    expect(tf.findBackendFactory('webgpu')).toBeNull();
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  });
});
