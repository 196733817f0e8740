import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Type-checks a consumer in the installed project like `PackResult.typecheck` (strict, no
 * skipLibCheck), except that errors inside tfjs's own declarations are left out: tfjs-layers 4.22's
 * `.d.ts` files do not compile under `--strict` (LayersModel vs InferenceModel, PyJsonValue index
 * signatures), whoever imports them. Every other error, ours included, still fails the check.
 */
function typecheckConsumer(projectDir: string, source: string, resolution: 'node16' | 'bundler') {
  writeFileSync(join(projectDir, 'smoke.ts'), source);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--pretty', 'false'];
  args.push('--module', resolution === 'node16' ? 'node16' : 'esnext');
  args.push('--moduleResolution', resolution, 'smoke.ts');
  let output = '';
  try {
    execFileSync(process.execPath, args, { cwd: projectDir, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    output = (err as { stdout?: string }).stdout ?? String(err);
  }
  const errors = output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line))
    .filter((line) => !line.startsWith('node_modules/@tensorflow/'));
  return errors;
}

describe('pack and install @dropkit/models', () => {
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

  it('imports from the installed tarball next to its tfjs peers, builds, saves and reloads a ViT', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import '@tensorflow/tfjs-backend-cpu';
       import * as tfl from '@tensorflow/tfjs-layers';
       import { parameterCount, registerModels, vit } from '@dropkit/models';
       await tf.setBackend('cpu');
       const net = vit({ imageSize: 8, channels: 1, classes: 3, depth: 2, width: 8, heads: 2, dropPath: 0.1 });
       const x = tf.ones([2, 8, 8, 1]);
       const y = net.predict(x);
       let saved;
       await net.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
       registerModels();
       const again = await tfl.loadLayersModel(tf.io.fromMemory(saved));
       const same = JSON.stringify(Array.from(again.predict(x).dataSync())) === JSON.stringify(Array.from(y.dataSync()));
       console.log(y.shape.join('x'), parameterCount(net) === parameterCount(again), same, net.getLayer('block1/drop_path').rate);`,
    );
    expect(out.trim()).toBe('2x3 true true 0.1');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    const consumer = `import type { LayersModel } from '@tensorflow/tfjs-layers';
      import { MultiHeadSelfAttention, mlp, parameterCount, type VitOptions, vit } from '@dropkit/models';
      const options: VitOptions = { imageSize: 28, channels: 1, classes: 10, dropout: 0.1 };
      export const net: LayersModel = vit(options);
      export const small: LayersModel = mlp({ inputShape: [4], hidden: [8], classes: 2 });
      export const n: number = parameterCount(small);
      export const attn = new MultiHeadSelfAttention({ numHeads: 2 });
      export const sites = attn.dropoutSites();`;
    expect(typecheckConsumer(packed.projectDir, consumer, res)).toEqual([]);
    // The check has teeth: a wrong option type is reported.
    const wrong = `import { vit } from '@dropkit/models';
      export const net = vit({ imageSize: '28', channels: 1, classes: 10 });`;
    expect(typecheckConsumer(packed.projectDir, wrong, res).join('\n')).toMatch(/TS2322/);
  });
});
