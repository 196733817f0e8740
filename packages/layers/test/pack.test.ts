import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/layers', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)), [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-layers@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball next to its tfjs peers: trains with a scheduler, saves and reloads', () => {
    const out = packed.runModule(
      `import { mkdtempSync } from 'node:fs';
       import { tmpdir } from 'node:os';
       import { join } from 'node:path';
       import * as tf from '@tensorflow/tfjs-core';
       import '@tensorflow/tfjs-backend-cpu';
       import * as tfl from '@tensorflow/tfjs-layers';
       import { DropoutScheduler, dropout, dropPath, registerLayers } from '@dropkit/layers';
       import { fileSystemIO } from '@dropkit/layers/node';
       import { earlySchedule, steps } from '@dropkit/schedules';
       await tf.setBackend('cpu');
       tf.env().set('IS_TEST', true);
       registerLayers();
       const model = tfl.sequential({ layers: [
         tfl.layers.dense({ units: 4, inputShape: [3] }), dropPath({ rate: 0, seed: 1 }),
         dropout({ rate: 0, seed: 2 }), tfl.layers.dense({ units: 1 }) ] });
       model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
       const seen = [];
       const scheduler = new DropoutScheduler({
         dropout: earlySchedule(0.2, { cutoff: steps(1) }), onRates: (r) => seen.push(r.dropout) });
       await model.fit(tf.ones([4, 3]), tf.ones([4, 1]), { batchSize: 2, epochs: 1, verbose: 0, callbacks: [scheduler] });
       const dir = join(mkdtempSync(join(tmpdir(), 'dropkit-smoke-')), 'm');
       await model.save(fileSystemIO(dir));
       const loaded = await tfl.loadLayersModel(fileSystemIO(dir));
       const x = tf.ones([1, 3]);
       const same = tf.all(tf.equal(model.predict(x), loaded.predict(x))).dataSync()[0];
       console.log(JSON.stringify(seen), loaded.layers[2].getClassName(), loaded.layers[2].rate, same);`,
    );
    expect(out.trim().split('\n').at(-1)).toBe('[0.2,0] DropkitDropout 0 1');
  });

  // tfjs-layers' own declarations do not pass strictNullChecks (its LayersModel does not match
  // tfjs-core's InferenceModel, its Keras config types clash with their index signatures), so a
  // strict consumer of any tfjs-layers code needs skipLibCheck. The consumer is checked strictly
  // with skipLibCheck, its @ts-expect-error lines proving the types are real and not `any`; every
  // declaration file, ours included, is checked in a second pass without strict.
  const CONSUMER = `import * as tf from '@tensorflow/tfjs-core';
    import * as tfl from '@tensorflow/tfjs-layers';
    import {
      applyRates, DropConnectDense, DropoutScheduler, dropout, type DropoutSiteContainer,
      type ScheduledRates,
    } from '@dropkit/layers';
    import { fileSystemIO } from '@dropkit/layers/node';
    import { standardSchedule } from '@dropkit/schedules';
    const d = dropout({ rate: 0.1, seed: 1 });
    d.rate = 0.2;
    // @ts-expect-error the rate is a number
    d.rate = 'high';
    // @ts-expect-error dropoutSite is readonly
    d.dropoutSite = 'dropPath';
    const dense: tfl.layers.Layer = new DropConnectDense({ units: 2, rate: 0.1, activation: 'relu' });
    // @ts-expect-error units is required, as in tf.layers.dense
    new DropConnectDense({ rate: 0.1 });
    const model = tfl.sequential({ layers: [d, dense] });
    const applied: { dropout?: number; dropPath?: number[] } = applyRates(model, { dropout: 0.3 });
    const cb: tfl.Callback = new DropoutScheduler({
      dropout: standardSchedule(0.1),
      onRates: (r: ScheduledRates) => r.step,
    });
    const container: DropoutSiteContainer = { dropoutSites: () => [d] };
    const handler: tf.io.IOHandler = fileSystemIO('/tmp/x');
    export { applied, cb, container, handler };`;

  it.each([
    ['node16', 'node16', true],
    ['bundler', 'esnext', true],
    ['node16', 'node16', false],
  ] as const)(
    'type-checks a consumer under %s resolution, module %s, strict with skipLibCheck: %s',
    (resolution, module, strict) => {
      writeFileSync(join(packed.projectDir, 'smoke.ts'), CONSUMER);
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const flags = strict ? ['--strict', '--skipLibCheck'] : ['--skipLibCheck', 'false'];
      const args = [
        tsc,
        '--noEmit',
        ...flags,
        '--module',
        module,
        '--moduleResolution',
        resolution,
      ];
      try {
        execFileSync(process.execPath, [...args, '--target', 'es2022', 'smoke.ts'], {
          cwd: packed.projectDir,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (err) {
        expect.fail(
          `tsc ${flags.join(' ')} (${resolution}) rejected the consumer:\n${(err as { stdout?: string }).stdout}`,
        );
      }
    },
  );
});
