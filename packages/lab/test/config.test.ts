import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig, run } from '../src/index.js';
import { tempDir, tinyConfig } from './helpers.js';

const base = {
  model: { kind: 'mlp', hidden: [8] },
  dataset: { kind: 'twoSpirals', trainSize: 64 },
  training: { epochs: 2, batchSize: 16 },
} as const;

function errorOf(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('resolveConfig', () => {
  it('fills in the defaults', () => {
    const c = resolveConfig(base);
    expect(c.seed).toBe(0);
    expect(c.optimizer).toEqual({ kind: 'adam', learningRate: 1e-3, momentum: 0 });
    expect(c.schedule).toEqual({});
    expect(c.diagnostics).toBeNull();
    expect(c.backend).toBe('auto');
    expect(resolveConfig({ ...base, optimizer: { kind: 'momentum' } }).optimizer).toEqual({
      kind: 'momentum',
      learningRate: 1e-2,
      momentum: 0.9,
    });
  });

  it('is idempotent: a resolved config resolves to itself', () => {
    const c = resolveConfig({ ...tinyConfig(), diagnostics: { condensation: true } });
    expect(resolveConfig(c)).toEqual(c);
  });

  it.each([
    [{ ...base, training: { epochs: 1.5, batchSize: 16 } }, 'config.training.epochs', 1.5],
    [{ ...base, training: { epochs: 1 } }, 'config.training.batchSize', undefined],
    [{ ...base, model: { kind: 'transformer' } }, 'config.model.kind', 'transformer'],
    [{ ...base, model: { kind: 'mlp', hidden: [8, -1] } }, 'config.model.hidden[1]', -1],
    [{ ...base, dataset: { kind: 'twoSpirals', trainSize: 0 } }, 'config.dataset.trainSize', 0],
    [{ ...base, optimizer: { learningRate: -1 } }, 'config.optimizer.learningRate', -1],
    [{ ...base, schedule: { dropout: 'early:1.5' } }, 'config.schedule.dropout.rate', 1.5],
    [
      { ...base, schedule: { dropout: 'late:0.2:linear:cutoff=1ep' } },
      'config.schedule.dropout.shape',
      'linear',
    ],
    [{ ...base, diagnostics: { every: 0 } }, 'config.diagnostics.every', 0],
    [{ ...base, diagnostics: { hessian: { steps: 3 } } }, 'config.diagnostics.hessian.steps', 3],
    [{ ...base, backend: 'tpu' }, 'config.backend', 'tpu'],
    [{ ...base, colour: 'red' }, 'config.colour', 'red'],
  ])('names the field path of a bad value (%#)', (config, path, value) => {
    const e = errorOf(() => resolveConfig(config));
    expect(e.parameter).toBe(path);
    expect(e.value).toEqual(value);
    expect(e.message).toContain(`Invalid ${path}: received`);
  });

  it('checks what needs the data when the run starts: a cutoff beyond the training length', async () => {
    // 64 / 16 = 4 steps an epoch, 2 epochs: a cutoff at 3 epochs is past the end.
    const config = {
      ...base,
      schedule: { dropout: 'early:0.1:cutoff=3ep' },
      backend: 'cpu',
    } as const;
    await expect(run(config, { outDir: tempDir() })).rejects.toThrow(
      /Invalid config\.schedule\.dropout\.cutoff/,
    );
    const big = { ...base, training: { epochs: 1, batchSize: 65 }, backend: 'cpu' } as const;
    await expect(run(big, { outDir: tempDir() })).rejects.toThrow(/config\.training/);
  });

  it('loadConfig reads a JSON file and names the file when it is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(base));
    expect((await loadConfig(good)).training.epochs).toBe(2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ model: ');
    await expect(loadConfig(bad)).rejects.toThrow(
      /config file: received ".*bad\.json"; expected JSON/,
    );
    writeFileSync(bad, JSON.stringify({ ...base, seed: -1 }));
    await expect(loadConfig(bad)).rejects.toThrow(/Invalid config\.seed: received -1/);
  });
});
