import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { DROPKIT_KERNEL_NAMES, DropkitDropout, dropout, hasFusedKernel } from '@dropkit/ops';
import { expectNoLeaks } from '@dropkit/test-utils';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initWasm, registerWasmKernels, type WasmFileMap } from '../src/index.js';

// The tests of this file run in order, in a process of their own: the first sees tfjs before
// anything initialized the wasm backend.
describe('initWasm', () => {
  it('is not run by importing the package: no backend started, no kernel registered', () => {
    expect(tf.findBackend('wasm')).toBeNull();
    for (const name of DROPKIT_KERNEL_NAMES) expect(tf.getKernel(name, 'wasm')).toBeUndefined();
  });

  it('rejects malformed options, naming the option, before touching tfjs', async () => {
    await expect(initWasm({ wasmPaths: 42 as unknown as string })).rejects.toThrow(
      /wasmPaths: received 42; expected a path prefix/,
    );
    const partial = { 'tfjs-backend-wasm.wasm': 'a.wasm' } as unknown as WasmFileMap;
    await expect(initWasm({ wasmPaths: partial })).rejects.toThrow(InvalidArgumentError);
    await expect(initWasm({ threadsCount: 0 })).rejects.toThrow(/threadsCount: received 0/);
    await expect(initWasm({ kernelThreads: -1 })).rejects.toThrow(
      /kernelThreads: received -1; expected an integer in \[0, 64\]/,
    );
    await expect(initWasm({ kernelThreads: 1.5 })).rejects.toThrow(/kernelThreads: received 1.5/);
    await expect(initWasm({ setBackend: 'yes' as unknown as boolean })).rejects.toThrow(
      /setBackend: received "yes"; expected true or false/,
    );
    await expect(initWasm(null as unknown as object)).rejects.toThrow(/options: received null/);
    expect(tf.findBackend('wasm')).toBeNull();
  });

  it('in Node, points tfjs at the installed binaries, starts the backend and keeps the current one when asked', async () => {
    await tf.setBackend('cpu');
    const setup = await initWasm({ setBackend: false });
    expect(tf.getBackend()).toBe('cpu');
    expect(setup).toMatchObject({
      backend: 'wasm',
      current: false,
      simd: true,
      threads: false,
      threadsCount: 1,
      kernelThreads: Math.min(7, availableParallelism() - 1),
    });
    expect(setup.kernelThreadsNote).toMatch(/logical cores less one/);
    expect([...setup.fusedKernels].sort()).toEqual([...DROPKIT_KERNEL_NAMES].sort());
    const folder = setup.wasmPaths as string;
    expect(folder).toMatch(/tfjs-backend-wasm[\\/]dist\/$/);
    for (const file of [
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
    ]) {
      expect(existsSync(folder + file), file).toBe(true);
    }
    expect(tf.findBackend('wasm')).not.toBeNull();
  });

  it('makes wasm current on a second call, and the ops run fused there', async () =>
    expectNoLeaks(async () => {
      const setup = await initWasm();
      expect(setup.current).toBe(true);
      expect(tf.getBackend()).toBe('wasm');
      expect(hasFusedKernel(DropkitDropout)).toBe(true);
      const y = tf.tidy(() => dropout(tf.ones([6, 5]), { rate: 0.5, seed: 3 }).dataSync());
      expect(y.every((v) => v === 0 || v === 2)).toBe(true);
      expect(registerWasmKernels()).toEqual([]);
    }));

  it('refuses paths or a thread count once the backend runs, unless they are the ones in use', async () => {
    const { wasmPaths } = await initWasm();
    await expect(initWasm({ threadsCount: 2 })).rejects.toThrow(DropkitError);
    await expect(initWasm({ wasmPaths: '/elsewhere/' })).rejects.toThrow(/already initialized/);
    await expect(initWasm({ wasmPaths: wasmPaths as string })).resolves.toMatchObject({
      current: true,
    });
  });
});
