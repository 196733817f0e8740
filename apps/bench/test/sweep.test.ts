import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRunLog } from '@dropkit/lab';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { sweepCells } from '../src/sweepCommand.js';
import { cli, tempDir } from './labHelpers.js';

describe('dropkit-bench sweep', () => {
  let script: string;
  beforeAll(async () => {
    // The workers run the CLI itself (`run`): bundle it as build.mjs does.
    script = join(tempDir(), 'dropkit-bench.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('../src/bundle.ts', import.meta.url))],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@dropkit/source'],
      mainFields: ['module', 'main'],
      external: ['webgpu'],
      logLevel: 'error',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
      },
    });
  }, 120_000);

  it('sweepCells is the grid plus a baseline; standard has no cutoff', () => {
    expect(sweepCells(['standard', 'late'], [0.1, 0.2], [1, 3])).toEqual([
      'none',
      'standard:0.1',
      'standard:0.2',
      'late:0.1:cutoff=1ep',
      'late:0.1:cutoff=3ep',
      'late:0.2:cutoff=1ep',
      'late:0.2:cutoff=3ep',
    ]);
  });

  it('--quick runs the grid in 2 worker processes and merges the runs into one report', async () => {
    const out = join(tempDir(), 'sweep');
    const r = await cli(
      'sweep',
      '--quick',
      '--modes',
      'standard,early',
      '--rates',
      '0.2',
      '--cutoffs',
      '1',
      '--workers',
      '2',
      '--backend',
      'cpu',
      '--out',
      out,
      '--worker-script',
      script,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('sweep: 3 runs on 2 worker processes');
    expect(readdirSync(join(out, 'runs')).sort()).toEqual([
      'early-0.2-cutoff-1ep',
      'none',
      'standard-0.2',
    ]);
    for (const run of ['none', 'standard-0.2', 'early-0.2-cutoff-1ep']) {
      expect(readRunLog(join(out, 'runs', run)).at(-1)?.type).toBe('end');
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md.split('\n').filter((l) => /^\| (none|standard|early)/.test(l))).toHaveLength(3);
    // Worker progress was relayed.
    expect(r.err).toMatch(/\[\d\/3 done\]/);
  }, 300_000);

  it('a failing worker is reported with its error', async () => {
    const out = join(tempDir(), 'sweep');
    const r = await cli(
      'sweep',
      '--quick',
      '--modes',
      'standard',
      '--rates',
      '0.2',
      '--batch-size',
      '100000',
      '--backend',
      'cpu',
      '--out',
      out,
      '--worker-script',
      script,
      '--workers',
      '1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sweep: 2 run\(s\) failed/);
    expect(r.err).toMatch(/config\.training/);
  }, 300_000);
});
