import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunLog } from '@dropkit/lab';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './labHelpers.js';

describe('dropkit-bench start', () => {
  it('--help describes the main job and its options', async () => {
    const r = await cli('start', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('dropkit-bench start [schedule ...] [options]');
    expect(r.out).toContain('--quick');
  });

  it('--quick trains the four regimes end to end, prints the table and writes the report', async () => {
    const out = join(tempDir(), 'start');
    const r = await cli('start', '--quick', '--backend', 'cpu', '--out', out);
    expect(r.err).toContain('QUICK MODE');
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^\| (none|standard|early|late)/.test(l));
    expect(rows.map((l) => l.split(' | ')[0])).toEqual([
      '| none',
      '| standard-0.25',
      '| early-0.25-linear-cutoff-2ep',
      '| late-0.25-cutoff-2ep',
    ]);
    expect(r.out).toMatch(
      /Regime test \(Liu et al\. 2023\): standard dropout (raises|does not raise)/,
    );
    expect(r.out).toContain(`report: ${join(out, 'index.html')}`);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<img src="loss.svg"');
    for (const f of [
      'loss.svg',
      'accuracy.svg',
      'rates.svg',
      'gradient-norm.svg',
      'gdv-gde.svg',
      'report.md',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // The late run keeps dropout off for the first 2 epochs (all of quick mode's 2 epochs).
    const late = readRunLog(join(out, 'runs', 'late-0.25-cutoff-2ep'));
    const rates = late.flatMap((x) => (x.type === 'step' ? [x.dropout] : []));
    expect(rates.length).toBeGreaterThan(0);
    expect(new Set(rates)).toEqual(new Set([0]));
    // Progress on stderr: one line per epoch of each regime.
    expect(r.err.match(/epoch \d\/2: train loss/g)).toHaveLength(8);

    // Run again: every regime is complete, nothing trains, the same table comes out.
    const again = await cli('start', '--quick', '--backend', 'cpu', '--out', out);
    expect(again.code).toBe(0);
    expect(again.out.split('\n').filter((l) => l.startsWith('| '))).toEqual(
      r.out.split('\n').filter((l) => l.startsWith('| ')),
    );
    expect(again.err).not.toMatch(/epoch \d\/2/);
  }, 300_000);

  it('bad input exits 2 naming the option', async () => {
    const r = await cli('start', '--epochs', 'ten');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--epochs: received "ten"; expected a positive integer/);
    const r2 = await cli('start', 'late:0.5:linear');
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/schedule\.shape: received "linear"/);
    const r3 = await cli('start', '--bogus');
    expect(r3.code).toBe(2);
  });
});
