import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('pack and install @dropkit/backend-cpu', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(root, [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(await publintMessages(root, packed.tarball)).toEqual([]);
  });

  it('imports from the installed tarball and runs a fused op', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import { initCpu } from '@dropkit/backend-cpu';
       import { dropout, hasFusedKernel, DropkitDropout } from '@dropkit/ops';
       const r = await initCpu();
       const y = dropout(tf.ones([8]), { rate: 0.5, seed: 0 });
       console.log(r.backend, hasFusedKernel(DropkitDropout), y.shape.join('x'));`,
    );
    expect(out.trim()).toBe('cpu true 8');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { initCpu, type CpuBackendReport } from '@dropkit/backend-cpu';
         import '@dropkit/backend-cpu/auto';
         export const r: Promise<CpuBackendReport> = initCpu();`,
        res,
      ),
    ).not.toThrow();
  });
});
