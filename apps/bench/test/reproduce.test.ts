import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimsTable, claimVerdict } from '../src/reproduceCommand.js';
import { cli, tempDir } from './labHelpers.js';

describe('dropkit-bench reproduce', () => {
  it('claimVerdict follows the means and counts the seeds where the claim held', () => {
    const row = {
      id: 'x',
      claim: 'a is lower',
      measure: 'm',
      a: { arm: 'a', values: [1, 2, 5] },
      b: { arm: 'b', values: [2, 3, 4] },
      direction: 'lower' as const,
    };
    expect(claimVerdict(row)).toEqual({ reproduced: true, seedsHolding: 2 });
    expect(claimVerdict({ ...row, direction: 'higher' })).toEqual({
      reproduced: false,
      seedsHolding: 1,
    });
    expect(claimsTable([{ ...row, direction: 'higher' }])).toContain(
      '| 1/3 | **not reproduced** |',
    );
  });

  it('--quick runs every claim over the seeds and writes claims.md and a report', async () => {
    const out = join(tempDir(), 'reproduce');
    const r = await cli('reproduce', '--quick', '--seeds', '2', '--backend', 'cpu', '--out', out);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^\| \([a-e]\)/.test(l));
    expect(rows.map((l) => l.slice(3, 4))).toEqual(['a', 'b', 'c', 'c', 'd', 'd', 'e', 'e']);
    for (const row of rows) {
      expect(row).toMatch(
        /\| [\w.-]+: -?[\d.e+-]+ ± [\d.e+-]+ \| [\w.-]+: -?[\d.e+-]+ ± [\d.e+-]+ \| [0-2]\/2 \| (reproduced|\*\*not reproduced\*\*) \|$/,
      );
    }
    const md = readFileSync(join(out, 'claims.md'), 'utf8');
    expect(md).toContain('QUICK MODE');
    expect(md).toContain('(e) dropout finds flatter minima');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(
      'condensation-condensation-dropout-seed0-final.svg',
    );
  }, 600_000);

  it('--help lists the claims', async () => {
    const r = await cli('reproduce', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(e) on a 1-D fit');
    expect((await cli('reproduce', '--seeds', '0')).code).toBe(2);
  });
});
