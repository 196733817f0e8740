import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/lab', () => {
  let packed: PackResult;
  beforeAll(() => {
    // The union package registers tfjs-core's gradients; the lab trains.
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)), [
      '@tensorflow/tfjs@4.22.0',
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-layers@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 600_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball, trains a run and writes its report', () => {
    const out = packed.runModule(
      `import '@tensorflow/tfjs';
       import { run, writeReport } from '@dropkit/lab';
       const config = { model: { kind: 'mlp', hidden: [8] }, dataset: { kind: 'twoSpirals', trainSize: 32 },
         training: { epochs: 2, batchSize: 16 }, schedule: { dropout: 'late:0.1:cutoff=1ep' }, backend: 'cpu' };
       const r = await run(config, { outDir: 'run' });
       const report = await writeReport(['run'], 'report');
       console.log(r.status, r.step, report.charts.length > 3);`,
    );
    expect(out.trim().split('\n').at(-1)).toBe('completed 4 true');
    expect(readFileSync(join(packed.projectDir, 'report', 'loss.svg'), 'utf8')).toContain('<svg');
  });

  // tfjs-layers' own declarations do not pass strict checks (see @dropkit/layers' pack test), so
  // the strict consumer uses skipLibCheck; its @ts-expect-error line proves the types are real.
  const CONSUMER = `import { type ExperimentConfig, type RunResult, resolveConfig, run } from '@dropkit/lab';
    const config: ExperimentConfig = { model: { kind: 'mlp', hidden: [4] }, dataset: { kind: 'iris' }, training: { epochs: 1, batchSize: 8 } };
    // @ts-expect-error epochs is a number
    const bad: ExperimentConfig = { ...config, training: { epochs: 'one', batchSize: 8 } };
    export const resolved = resolveConfig(config);
    export const result: Promise<RunResult> = run(config, { outDir: 'x' });
    export { bad };`;

  it.each([
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ] as const)('type-checks a strict consumer under %s resolution', (resolution, module) => {
    writeFileSync(join(packed.projectDir, 'smoke.ts'), CONSUMER);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', module];
    try {
      execFileSync(
        process.execPath,
        [tsc, ...args, '--moduleResolution', resolution, '--target', 'es2022', 'smoke.ts'],
        { cwd: packed.projectDir, encoding: 'utf8', stdio: 'pipe' },
      );
    } catch (err) {
      expect.fail(
        `tsc (${resolution}) rejected the consumer:\n${(err as { stdout?: string }).stdout}`,
      );
    }
  });
});
