import { describe, expect, it } from 'vitest';
import { main } from '../src/index.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dropkit-bench', () => {
  it('schedule with no argument prints the four regimes of the main job on the MNIST default', async () => {
    const r = await run('schedule');
    expect(r.code).toBe(0);
    // 60000 / 128 = 468.75 -> 468 steps per epoch; 20 epochs.
    expect(r.out).toContain('20 epochs x 468 steps = 9360 optimizer steps');
    for (const s of [
      'standard:0',
      'standard:0.1',
      'early:0.1:linear:cutoff=5ep',
      'late:0.1:cutoff=5ep',
    ]) {
      expect(r.out).toContain(s);
    }
    const rows = r.out.split('\n').filter((l) => /^\| \d+ /.test(l));
    expect(rows).toHaveLength(20);
    // epoch 4 is the last early-dropout epoch; it ends at exactly 0; epoch 5 turns late dropout on.
    expect(rows[4]).toMatch(
      /\| 4 +\| 1872-2339 \| 0 +\| 0\.1 +\| 0\.02 -> 0 \(mean 0\.01\) +\| 0 +\|/,
    );
    expect(rows[5]).toMatch(/\| 5 +\| 2340-2807 \| 0 +\| 0\.1 +\| 0 +\| 0\.1 +\|/);
    expect(r.out).toContain('C = early:0.1:linear:cutoff=5ep (cutoff at step 2340)');
  });
  it('schedule takes a length and several schedules', async () => {
    const r = await run(
      'schedule',
      'late:0.5:cutoff=1ep',
      '--epochs',
      '3',
      '--train-size',
      '100',
      '--batch-size',
      '10',
      '--no-plot',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('| 0     | 0-9   | 0   ');
    expect(r.out).toContain('| 1     | 10-19 | 0.5 ');
    expect(r.out).not.toContain('overlapping');
  });
  it('bad input exits 2 with a message naming the field', async () => {
    const r = await run('schedule', 'late:0.5:linear:cutoff=1ep');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/schedule\.shape: received "linear"/);
    const r2 = await run('start', '--epochs', 'ten');
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/--epochs: received "ten"; expected a positive integer/);
    const r3 = await run('start', 'early:0.1:cutoff=30ep');
    expect(r3.err).toMatch(/schedule\.dropout\.cutoff: .*cutoff within the training length/);
    const r4 = await run('frobnicate');
    expect(r4.err).toMatch(/command: received "frobnicate"/);
    const r5 = await run('start', '--bogus');
    expect(r5.code).toBe(2);
  });
  it('--help prints usage and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage:');
  });
});
