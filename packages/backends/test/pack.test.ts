import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('pack and install @dropkit/backends', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(root, [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-cpu@4.22.0',
      '@tensorflow/tfjs-backend-wasm@4.22.0',
      '@tensorflow/tfjs-backend-webgpu@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(await publintMessages(root, packed.tarball)).toEqual([]);
  });

  it('imports from the installed tarballs and picks cpu and wasm by name', () => {
    const out = packed.runModule(
      `import { useBackend } from '@dropkit/backends';
       const a = await useBackend('cpu');
       const b = await useBackend('wasm');
       console.log(a.tfBackend, a.fusedKernels.length, b.tfBackend, b.fusedKernels.length);`,
    );
    expect(out.trim()).toBe('cpu 6 wasm 6');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { useBackend, type BackendChoice } from '@dropkit/backends';
         export const c: Promise<BackendChoice> = useBackend('auto', { allowSoftwareGpu: false });`,
        res,
      ),
    ).not.toThrow();
  });
});
