import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('pack and install @dropkit/backend-node-gpu', () => {
  let packed: PackResult;
  beforeAll(() => {
    // Without its optional peer: the project a user has before installing tfjs-node-gpu.
    packed = packAndInstall(root, [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(await publintMessages(root, packed.tarball)).toEqual([]);
  });

  it('installs without the peer and, asked for it, says it is not installed and what to install', () => {
    const out = packed.runModule(
      `import { initNodeGpu } from '@dropkit/backend-node-gpu';
       try { await initNodeGpu(); console.log('loaded'); }
       catch (e) { console.log(e.name, '|', e.reason, '|', /CUDA 11\\.2/.test(e.message)); }`,
    );
    expect(out.trim()).toBe(
      'BackendUnavailableError | @tensorflow/tfjs-node-gpu is not installed | true',
    );
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { initNodeGpu, type NodeGpuReport } from '@dropkit/backend-node-gpu';
         export const r: Promise<NodeGpuReport> = initNodeGpu();`,
        res,
      ),
    ).not.toThrow();
  });
});
