import { BackendUnavailableError, InvalidArgumentError } from '@dropkit/core';
import {
  DROPKIT_KERNEL_NAMES,
  dropout,
  dropoutMultipliers,
  rateThreshold,
  resolveSeed,
} from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AUTO_ORDER, useBackend } from '../src/index.js';

/** The op gives the reference mask on whatever backend is active. */
async function expectReferenceDropout(): Promise<void> {
  await expectNoLeaks(async () => {
    const x = tf.ones([3, 37]);
    const y = dropout(x, { rate: 0.4, seed: 31 });
    const expected = dropoutMultipliers({
      ...resolveSeed(31),
      threshold: rateThreshold(0.4),
      scale: 1 / 0.6,
      noiseShape: [3, 37],
    });
    expect(Array.from(await y.data())).toEqual(Array.from(expected));
    tf.dispose([x, y]);
  });
}

describe('useBackend', () => {
  it.each(['cpu', 'wasm', 'webgpu'] as const)(
    '%s: sets it up with every kernel fused and the reference masks',
    async (name) => {
      const choice = await useBackend(name);
      expect(choice).toMatchObject({
        requested: name,
        name,
        tfBackend: name,
        reason: `requested ${name}`,
      });
      expect(tf.getBackend()).toBe(name);
      expect(choice.fusedKernels).toEqual([...DROPKIT_KERNEL_NAMES]);
      expect(choice.attempts).toEqual([{ name, ok: true, detail: expect.any(String) }]);
      await expectReferenceDropout();
    },
  );

  it('webgpu on this machine (lavapipe) reports a software adapter', async () => {
    const choice = await useBackend('webgpu');
    expect((choice.report as { software: boolean }).software).toBe(true);
    expect(choice.attempts[0]?.detail).toMatch(/software adapter/);
  });

  it('auto passes over the software GPU and an unloadable tfjs-node-gpu, says why, and takes wasm', async () => {
    const choice = await useBackend('auto');
    expect(AUTO_ORDER).toEqual(['webgpu', 'node-gpu', 'wasm', 'cpu']);
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgpu', false],
      ['node-gpu', false],
      ['wasm', true],
    ]);
    expect(choice.reason).toMatch(/^wasm \(tfjs wasm \(SIMD on/);
    expect(choice.reason).toMatch(/passed over webgpu: its adapter is software/);
    expect(choice.reason).toMatch(/node-gpu: The node-gpu backend is unavailable/);
    await expectReferenceDropout();
  });

  it('auto takes the software GPU when allowed, and skips node-gpu when told to', async () => {
    const choice = await useBackend('auto', { allowSoftwareGpu: true, tryNodeGpu: false });
    expect(choice.name).toBe('webgpu');
    expect(choice.reason).toMatch(/^webgpu is the fastest backend available/);
    expect(choice.attempts.map((a) => a.name)).toEqual(['webgpu']);
  });

  it('node-gpu when it cannot load: BackendUnavailableError saying what to install', async () => {
    const e = await useBackend('node-gpu').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect((e as Error).message).toMatch(/CUDA 11\.2.*cuDNN 8\.1/s);
  });

  it('rejects an unknown backend, naming the parameter and the choices', async () => {
    await expect(useBackend('metal' as never)).rejects.toThrow(InvalidArgumentError);
    await expect(useBackend('metal' as never)).rejects.toThrow(
      /backend: received "metal"; expected one of "webgpu", "wasm", "cpu", "node-gpu", "auto"/,
    );
  });
});
