import { CPU_KERNEL_CONFIGS, initCpu } from '@dropkit/backend-cpu';
import { initWasm, WASM_KERNEL_CONFIGS } from '@dropkit/backend-wasm';
import { initWebGpu, WEBGPU_KERNEL_CONFIGS } from '@dropkit/backend-webgpu';
import { DROPKIT_KERNEL_NAMES, ensureSetup } from '@dropkit/ops';
import { testBackendNames } from '@dropkit/test-utils';
import { getGradient, getKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const CONFIGS: Readonly<Record<string, readonly KernelConfig[]>> = {
  cpu: CPU_KERNEL_CONFIGS,
  wasm: WASM_KERNEL_CONFIGS,
  webgpu: WEBGPU_KERNEL_CONFIGS,
};
const BACKENDS = Object.keys(CONFIGS);

/** One row per kernel: which backends have a fused kernel, and whether it has a gradient. */
function coverageTable(): { rows: Record<string, boolean | string>[]; markdown: string } {
  const rows = DROPKIT_KERNEL_NAMES.map((name) => {
    const row: Record<string, boolean | string> = { kernel: name };
    for (const b of BACKENDS) {
      row[b] = (CONFIGS[b] ?? []).some((k) => k.kernelName === name && k.backendName === b);
    }
    row.gradient = getGradient(name) !== undefined;
    return row;
  });
  const cols = ['kernel', ...BACKENDS, 'gradient'];
  const cell = (v: boolean | string | undefined, col: string) =>
    v === false ? 'GAP' : v !== true ? String(v) : col === 'gradient' ? 'yes' : 'fused';
  const markdown = [
    `| ${cols.join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c], c)).join(' | ')} |`),
  ].join('\n');
  return { rows, markdown };
}

describe('kernel coverage by backend', () => {
  it('every dropkit kernel is fused on cpu, wasm and webgpu and has a gradient: no gaps', () => {
    ensureSetup();
    const { rows, markdown } = coverageTable();
    console.log(`dropkit kernel coverage\n${markdown}`);
    const gaps = rows.flatMap((r) =>
      [...BACKENDS, 'gradient'].filter((c) => r[c] !== true).map((c) => `${r.kernel} on ${c}`),
    );
    expect(gaps).toEqual([]);
    // Every config names a known kernel and its own backend, once.
    for (const b of BACKENDS) {
      const names = (CONFIGS[b] ?? []).map((k) => `${k.backendName}/${k.kernelName}`);
      expect(names.sort()).toEqual(DROPKIT_KERNEL_NAMES.map((n) => `${b}/${n}`).sort());
    }
  });

  it('init registers those kernels with tfjs on every backend the suites run on', async () => {
    const init: Readonly<Record<string, () => Promise<unknown>>> = {
      cpu: () => initCpu(),
      wasm: () => initWasm({ setBackend: false }),
      webgpu: () => initWebGpu({ setBackend: false }),
    };
    for (const b of testBackendNames()) {
      await init[b]?.();
      expect(
        DROPKIT_KERNEL_NAMES.filter((k) => getKernel(k, b) === undefined),
        b,
      ).toEqual([]);
    }
  });
});
