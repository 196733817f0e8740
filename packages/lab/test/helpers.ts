// tfjs-core's ESM build (what Vitest loads) registers no gradients; training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '../src/index.js';

/** A fresh temporary directory. */
export function tempDir(prefix = 'lab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A run small enough for two shared cores: 8 steps an epoch on two spirals. */
export function tinyConfig(
  overrides: { [K in keyof ExperimentConfig]?: ExperimentConfig[K] | undefined } = {},
): ExperimentConfig {
  return {
    name: 'tiny',
    seed: 1,
    model: { kind: 'mlp', hidden: [16, 16] },
    dataset: { kind: 'twoSpirals', trainSize: 128, testSize: 64 },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    training: { epochs: 3, batchSize: 16 },
    schedule: { dropout: 'early:0.3:linear:cutoff=2ep' },
    diagnostics: { every: 4, gradientDirection: { k: 3, fullSubsetSize: 64 } },
    checkpointEvery: 3,
    backend: 'cpu',
    ...overrides,
  } as ExperimentConfig;
}
