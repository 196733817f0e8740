import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('pack and install @dropkit/backend-webgpu', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(fileURLToPath(new URL('..', import.meta.url)), [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-webgpu@4.22.0',
      'webgpu@0.6.2',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(
      await publintMessages(fileURLToPath(new URL('..', import.meta.url)), packed.tarball),
    ).toEqual([]);
  });

  it('imports from the installed tarball, runs a fused op and its gradient on Dawn, and exits', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import { initWebGpu } from '@dropkit/backend-webgpu';
       import { dropout } from '@dropkit/ops';
       const report = await initWebGpu();
       const y = dropout(tf.ones([8]), { rate: 0.5, seed: 0 });
       const g = tf.grad((x) => dropout(x, { rate: 0.5, seed: 0 }))(tf.ones([8]));
       const same = JSON.stringify(Array.from(await y.data())) === JSON.stringify(Array.from(await g.data()));
       console.log(tf.getBackend(), report.source, typeof report.software, same);`,
    );
    expect(out.trim()).toBe('webgpu dawn boolean true');
  });

  it('registers the kernels from the ./auto entry alone', () => {
    const out = packed.runModule(
      `import { getKernel } from '@tensorflow/tfjs-core';
       import '@dropkit/backend-webgpu/auto';
       console.log(getKernel('DropkitDropBlock', 'webgpu') !== undefined);`,
    );
    expect(out.trim()).toBe('true');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import { initWebGpu, type WebGpuAdapterReport, WEBGPU_KERNEL_CONFIGS } from '@dropkit/backend-webgpu';
         import '@dropkit/backend-webgpu/auto';
         export const report: Promise<WebGpuAdapterReport> = initWebGpu({ setBackend: false });
         export const names: string[] = WEBGPU_KERNEL_CONFIGS.map((k) => k.kernelName);`,
        res,
      ),
    ).not.toThrow();
  });
});
