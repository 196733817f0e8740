import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/diagnostics', () => {
  let packed: PackResult;
  beforeAll(() => {
    // The union package registers tfjs-core's gradients (tfjs-core alone registers none) and
    // brings tfjs-layers, the optional peer, at the same version.
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)), [
      '@tensorflow/tfjs@4.22.0',
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-layers@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball and measures a tfjs-layers model, recording to a JSONL file', () => {
    // Mean squared error of y = x.(1, 1) on x = I, target 0: gradient (1, 1), Hessian I.
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs';
       import { createRecorder, gradientNorm, gradientNormProbe, hessianTopEigenvalue } from '@dropkit/diagnostics';
       await tf.setBackend('cpu');
       const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', useBias: false })] });
       model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
       const batch = { xs: tf.tensor2d([[1, 0], [0, 1]]), ys: tf.zeros([2, 1]) };
       const n = await gradientNorm(model, batch);
       const h = await hessianTopEigenvalue(model, batch);
       const recorder = createRecorder({ target: model, file: 'run.jsonl', every: 2, probes: [gradientNormProbe({ data: batch })] });
       await model.fit(batch.xs, batch.ys, { epochs: 4, batchSize: 2, verbose: 0, callbacks: recorder.fitCallback() });
       recorder.dispose();
       console.log(n.total.toFixed(4), h.value.toFixed(3), h.method);`,
    );
    expect(out.trim()).toBe('1.4142 1.000 exact');
    const lines = readFileSync(join(packed.projectDir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([0, 2, 4]);
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import * as tf from '@tensorflow/tfjs-core';
         import { condensation, createRecorder, gradientNorm, gradientNormProbe, type NormReport, type Objective } from '@dropkit/diagnostics';
         const w = tf.variable(tf.zeros([2]));
         const objective: Objective = { params: [w], loss: (b) => tf.sum(tf.mul(w, b.xs as tf.Tensor)) as tf.Scalar };
         const batch = { xs: tf.zeros([1, 2]), ys: tf.zeros([1]) };
         export const report: Promise<NormReport> = gradientNorm(objective, batch);
         export const recorder = createRecorder({ target: objective, probes: [gradientNormProbe({ data: batch })] });
         export const cond = condensation({ kernel: [[1, 2]], bias: [0, 1] });`,
        res,
      ),
    ).not.toThrow();
  });

  it.each(['node16', 'bundler'] as const)(
    'accepts real tfjs-layers models, layers and fit callbacks under %s resolution',
    (res) => {
      // tfjs-layers 4.22's own declarations fail --strict without skipLibCheck (its keras_format
      // types), so this check, which needs them, skips lib checking; the one above does not.
      writeFileSync(
        join(packed.projectDir, 'layers.ts'),
        `import * as tf from '@tensorflow/tfjs';
         import { condensation, createRecorder, gradientNorm, gradientNormProbe, type NormReport } from '@dropkit/diagnostics';
         const dense = tf.layers.dense({ units: 2, inputShape: [2] });
         const model = tf.sequential({ layers: [dense] });
         const batch = { xs: tf.zeros([1, 2]), ys: tf.zeros([1, 2]) };
         export const report: Promise<NormReport> = gradientNorm(model, batch);
         const recorder = createRecorder({ target: model, probes: [gradientNormProbe({ data: batch })] });
         export const fitted = model.fit(batch.xs, batch.ys, { callbacks: recorder.fitCallback() });
         export const cond = condensation(dense);`,
      );
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const args = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022'];
      const mode = res === 'node16' ? ['--module', 'node16'] : ['--module', 'esnext'];
      expect(() =>
        execFileSync(
          process.execPath,
          [tsc, ...args, ...mode, '--moduleResolution', res, 'layers.ts'],
          {
            cwd: packed.projectDir,
            encoding: 'utf8',
            stdio: 'pipe',
          },
        ),
      ).not.toThrow();
    },
  );
});
