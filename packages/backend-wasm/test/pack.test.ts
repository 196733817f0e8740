import { fileURLToPath } from 'node:url';
import { type PackResult, packAndInstall, publintMessages } from '@dropkit/test-utils/pack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

describe('pack and install @dropkit/backend-wasm', () => {
  let packed: PackResult;
  beforeAll(() => {
    packed = packAndInstall(dir, [
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-wasm@4.22.0',
    ]);
  }, 300_000);
  afterAll(() => packed?.dispose());

  it('passes publint --strict with no message at all', async () => {
    expect(await publintMessages(dir, packed.tarball)).toEqual([]);
  });

  it('initializes the wasm backend from the installed tarball and runs a fused op with its gradient', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import { initWasm } from '@dropkit/backend-wasm';
       import { DropkitDropout, dropout, hasFusedKernel } from '@dropkit/ops';
       const setup = await initWasm();
       const y = dropout(tf.ones([40]), { rate: 0.5, seed: 0 });
       const g = tf.grad((x) => dropout(x, { rate: 0.5, seed: 0 }))(tf.ones([40]), tf.ones([40]));
       const same = JSON.stringify(Array.from(y.dataSync())) === JSON.stringify(Array.from(g.dataSync()));
       console.log(tf.getBackend(), setup.simd, setup.fusedKernels.length, hasFusedKernel(DropkitDropout), same);`,
    );
    expect(out.trim()).toBe('wasm true 6 true true');
  });

  it('registers the kernels from the ./auto entry alone', () => {
    const out = packed.runModule(
      `import * as tf from '@tensorflow/tfjs-core';
       import '@dropkit/backend-wasm/auto';
       await tf.setBackend('wasm');
       console.log(tf.getKernel('DropkitGaussianDropout', 'wasm') !== undefined);`,
    );
    expect(out.trim()).toBe('true');
  });

  it.each(['node16', 'bundler'] as const)('type-checks a consumer under %s resolution', (res) => {
    expect(() =>
      packed.typecheck(
        `import '@dropkit/backend-wasm/auto';
         import { initWasm, type InitWasmOptions, WASM_KERNEL_CONFIGS, type WasmSetup } from '@dropkit/backend-wasm';
         const options: InitWasmOptions = { wasmPaths: '/tfjs-wasm/', setBackend: false };
         export const setup: Promise<WasmSetup> = initWasm(options);
         export const kernels: number = WASM_KERNEL_CONFIGS.length;`,
        res,
      ),
    ).not.toThrow();
  });
});
