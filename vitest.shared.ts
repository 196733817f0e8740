import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages are read from source through the private `@dropkit/source` export
// condition, so tests never depend on a stale `dist`.
export default defineConfig({
  resolve: { conditions: ['@dropkit/source'] },
  ssr: { resolve: { conditions: ['@dropkit/source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Pack-and-install tests type-check consumers with tsc: minutes on 2 busy cores.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    // Two cores on CI: one worker per core, files in parallel.
    pool: 'forks',
  },
});
