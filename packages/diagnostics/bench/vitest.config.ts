import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../../vitest.shared.ts';

// The cost measurements run as one long "test" so they share the workspace's module resolution;
// they assert nothing and are not part of `vitest run`.
export default mergeConfig(
  shared,
  defineConfig({ test: { include: ['bench/**/*.measure.ts'], testTimeout: 1_200_000 } }),
);
