import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Registers the wasm and webgpu test backends before each file's suites are collected.
      setupFiles: ['test/setup.ts'],
      // lavapipe runs WebGPU on the CPU: the statistics suites take longer there.
      testTimeout: 300_000,
    },
  }),
);
