import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/ops', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)), [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball next to its tfjs peer and runs a fused op with its gradient', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import '@tensorflow/tfjs-backend-cpu';
       import { dropout, hasFusedKernel, DropkitDropout } from '@dropkit/ops';
       await tf.setBackend('cpu');
       const y = dropout(tf.ones([8]), { rate: 0.5, seed: 0 });
       const g = tf.grad((x) => dropout(x, { rate: 0.5, seed: 0 }))(tf.ones([8]), tf.ones([8]));
       console.log(hasFusedKernel(DropkitDropout), JSON.stringify(Array.from(y.dataSync())) === JSON.stringify(Array.from(g.dataSync())));`,
    );
    expect(out.trim()).toBe('true true');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import * as tf from '@tensorflow/tfjs-core';
         import { createGenerator, dropout, type DropoutOptions } from '@dropkit/ops';
         const opts: DropoutOptions = { rate: 0.1, seed: createGenerator(1) };
         export const y: tf.Tensor = dropout(tf.ones([2]), opts);`,
        res,
      ),
    ).not.toThrow();
  });
});
