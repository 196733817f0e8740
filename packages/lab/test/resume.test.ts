import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint, readRunLog } from '../src/index.js';
import { bundleChild, runChild } from './childRun.js';
import { tempDir, tinyConfig } from './helpers.js';

// 24 steps an epoch, 4 epochs: long enough that a signal lands mid-run.
const config = tinyConfig({
  dataset: { kind: 'twoSpirals', trainSize: 384, testSize: 64 },
  training: { epochs: 4, batchSize: 16 },
  schedule: { dropout: 'early:0.3:linear:cutoff=2ep' },
  diagnostics: { every: 10, gradientDirection: { k: 3, fullSubsetSize: 64 }, condensation: true },
  checkpointEvery: 7,
});
const TOTAL = 96;

/** Every file of a run directory but the checkpoint, by name. */
function outputs(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) {
    if (f !== 'checkpoint.bin') out[f] = readFileSync(join(dir, f), 'utf8');
  }
  return out;
}

describe('a run killed in a child process resumes to exactly the uninterrupted run', () => {
  let script: string;
  let reference: Record<string, string>;
  beforeAll(async () => {
    const root = tempDir();
    script = await bundleChild(root);
    const dir = join(root, 'reference');
    const r = await runChild(script, config, dir);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout).toContain(`done completed ${TOTAL}`);
    reference = outputs(dir);
  }, 180_000);

  it('writes a complete log with start, steps, epochs, diagnostics and end', () => {
    const records = (reference['log.jsonl'] as string)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(records[0]?.type).toBe('start');
    expect(records.filter((r) => r.type === 'step').map((r) => r.step)).toEqual(
      Array.from({ length: TOTAL }, (_, i) => i),
    );
    expect(records.filter((r) => r.type === 'epoch')).toHaveLength(4);
    expect(records.filter((r) => r.type === 'diagnostics').map((r) => r.step)).toEqual([
      0, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    expect(records.at(-2)?.type).toBe('final');
    expect(records.at(-1)?.type).toBe('end');
  });

  it.each(['SIGKILL', 'SIGINT'] as const)(
    'killed with %s at a random step, then resumed, gives the same log bit for bit',
    async (signal) => {
      const atStep = 3 + Math.floor(Math.random() * 60);
      const dir = join(tempDir(), 'run');
      const killed = await runChild(script, config, dir, { atStep, signal });
      const cp = readCheckpoint(join(dir, 'checkpoint.bin'));
      if (signal === 'SIGKILL') {
        expect(killed.signal).toBe('SIGKILL');
        // The last checkpoint is at a multiple of 7 (or an epoch end) at or before the kill.
        expect(cp === null || cp.step <= killed.lastStep + 1).toBe(true);
      } else {
        // Ctrl-C: the step in flight finishes, a checkpoint is written, the process exits cleanly.
        expect(killed.code).toBe(0);
        expect(killed.stdout).toMatch(/done interrupted \d+/);
        const stoppedAt = Number(/done interrupted (\d+)/.exec(killed.stdout)?.[1]);
        expect(stoppedAt).toBeGreaterThan(atStep);
        expect(stoppedAt).toBeLessThan(TOTAL);
        expect(cp?.step).toBe(stoppedAt);
        expect(cp?.complete).toBe(false);
      }
      const partial = readRunLog(dir);
      expect(partial.some((r) => r.type === 'end')).toBe(false);

      const resumed = await runChild(script, config, dir);
      expect(resumed.stdout).toContain(`done completed ${TOTAL}`);
      // The resumed process starts at the checkpoint's step, not at 0.
      const firstStep = Number(/step (\d+)/.exec(resumed.stdout)?.[1]);
      expect(firstStep).toBe(cp?.step ?? 0);
      expect(outputs(dir)).toEqual(reference);
    },
    180_000,
  );
});
