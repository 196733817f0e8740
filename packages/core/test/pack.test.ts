import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/core', () => {
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

  it('imports from the installed tarball', () => {
    const out = packed.runModule(
      `import { InvalidArgumentError, assertRate } from '@dropkit/core';
       try { assertRate('rate', 2); } catch (e) { console.log(e instanceof InvalidArgumentError, e.message); }`,
    );
    expect(out.trim()).toBe('true Invalid rate: received 2; expected a number in [0, 1).');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { assertRate, InvalidArgumentError } from '@dropkit/core';
         export const p: number = assertRate('p', 0.5);
         export const E: typeof InvalidArgumentError = InvalidArgumentError;`,
        res,
      ),
    ).not.toThrow();
  });
});
