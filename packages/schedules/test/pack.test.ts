import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/schedules', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)));
  }, 180_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball and computes a schedule', () => {
    const out = packed.runModule(
      `import { parseSchedule, toArray } from '@dropkit/schedules';
       console.log(JSON.stringify(toArray(parseSchedule('late:0.5:cutoff=2'), 4)));`,
    );
    expect(out.trim()).toBe('[0,0,0.5,0.5]');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { earlySchedule, epochs, type Schedule } from '@dropkit/schedules';
         import { InvalidArgumentError } from '@dropkit/core';
         const s: Schedule = earlySchedule(0.1, { cutoff: epochs(5) });
         const e: InvalidArgumentError | undefined = undefined;
         export { s, e };`,
        res,
      ),
    ).not.toThrow();
  });

  it('type errors in a consumer are reported (the check is real)', () => {
    expect(() =>
      packed.typecheck(
        `import { earlySchedule } from '@dropkit/schedules';
         export const s = earlySchedule('0.1', {});`,
        'node16',
      ),
    ).toThrow();
  });
});
