import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropout } from '@dropkit/ops';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluateTargets,
  formatSize,
  getBenchBackend,
  main,
  median,
  OPS_TABLE,
  type OpsBenchReport,
  parseSizes,
  runOpsBench,
  TensorLeakError,
  VARIANTS,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-bench-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const readReport = (folder: string, backend = 'cpu') =>
  JSON.parse(readFileSync(join(folder, `ops-${backend}.json`), 'utf8')) as OpsBenchReport;

/** Every figure of a report is finite, positive and consistent with the samples it came from. */
function expectConsistent(report: OpsBenchReport): void {
  for (const row of report.rows) {
    const what = `${row.op} ${formatSize(row.size)}`;
    expect(row.elements, what).toBe(row.shape.reduce((a, b) => a * b, 1));
    expect(row.runs, what).toBe(report.config.runs);
    for (const v of VARIANTS) {
      const m = row.medianMs[v];
      const samples = row.samplesMs[v];
      const expected =
        v === 'tfDropout'
          ? row.comparableToTfDropout
          : v === 'tfDropoutBackward'
            ? row.comparableToTfDropout && report.tfDropoutBackwardUnavailable === null
            : true;
      expect(m !== null, `${what} ${v} measured`).toBe(expected);
      if (m === null || samples === null) continue;
      expect(Number.isFinite(m) && m > 0, `${what} ${v} = ${m}`).toBe(true);
      expect(samples.length, `${what} ${v} samples`).toBeGreaterThanOrEqual(report.config.runs);
      expect(m).toBe(median(samples));
    }
    const ms = (v: (typeof VARIANTS)[number]) => row.medianMs[v] as number;
    expect(row.ratios.fusedOverAdd).toBe(ms('fused') / ms('add'));
    expect(row.ratios.composedOverFused).toBe(ms('composed') / ms('fused'));
    expect(row.ratios.composedOverFusedBackward).toBe(ms('composedBackward') / ms('fusedBackward'));
    expect(row.ratios.tfDropoutOverFused).toBe(
      row.comparableToTfDropout ? ms('tfDropout') / ms('fused') : null,
    );
    expect(row.fusedGBps).toBe((8 * row.elements) / (ms('fused') * 1e6));
    const fused = row.backwardBytes.fused;
    expect(fused.error, what).toBeUndefined();
    expect(fused.bytes, what).toBeGreaterThan(0);
    expect(fused.perOutput).toBe((fused.bytes as number) / (4 * row.elements));
  }
}

describe('dropkit-bench ops', () => {
  it('--quick times every op, writes consistent JSON and a markdown row per op', async () => {
    const out = join(dir, 'quick');
    const r = await run('ops', '--quick', '--out', out);
    expect(r.code, r.err).toBe(0);
    const n = OPS_TABLE.length;
    expect(r.err).toContain(`[1/${n}] dropout 64K`);
    expect(r.err).toContain(`[${n}/${n}]`);
    const report = readReport(out);
    expect(report.quick).toBe(true);
    expect(report.host.backend).toBe('cpu');
    expect(report.config).toMatchObject({ backend: 'cpu', sizes: [65536], runs: 3 });
    expect(report.rows.map((row) => `${row.op}@${row.size}`)).toEqual(
      OPS_TABLE.map((o) => `${o.name}@65536`),
    );
    expectConsistent(report);
    expect(report.targets.map((t) => t.met)).toEqual([null, null]); // 4M not measured
    const md = readFileSync(join(out, 'ops-cpu.md'), 'utf8');
    expect(md).toContain('QUICK MODE');
    for (const o of OPS_TABLE) {
      // one row in the times table, one in the ratios table
      expect(md.match(new RegExp(`^\\| ${o.name} +\\| 64K `, 'gm')), o.name).toHaveLength(2);
    }
    expect(r.out).toContain('## Summary');
    expect(r.out).toContain(report.host.cpu);
  });

  it('on wasm it also times the cpu reference kernel and judges the wasm targets', async () => {
    const out = join(dir, 'wasm');
    const r = await run(
      'ops',
      '--backend',
      'wasm',
      '--quick',
      '--ops',
      'dropout,gaussianDropout',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    const report = readReport(out, 'wasm');
    expect(report.host.backendPackage).toMatch(
      /SIMD on, threads off, 6 fused dropkit kernels, kernel helper threads \d/,
    );
    expectConsistent(report);
    const [dropoutRow, gaussianRow] = report.rows;
    expect(dropoutRow?.cpuKernelMs).toBeGreaterThan(0);
    expect(gaussianRow?.cpuKernelMs).toBeNull();
    expect(dropoutRow?.kernelMedianMs).toBeNull();
    expect(report.targets.map((t) => [t.id, t.met])).toEqual([
      ['speedupVsTfDropout', null],
      ['fasterThanCpuKernel', null],
      ['backwardNoMask', null],
    ]);
    expect(readFileSync(join(out, 'ops-wasm.md'), 'utf8')).toMatch(
      /TypeScript reference kernel \(dropoutImpl\) on the same values, same process: 64K [\d.]+ ms/,
    );
  });

  it('on webgpu (lavapipe here) it reports device kernel times and GB/s and judges the GPU targets', async () => {
    const out = join(dir, 'webgpu');
    const r = await run('ops', '--backend', 'webgpu', '--quick', '--ops', 'dropout', '--out', out);
    expect(r.code, r.err).toBe(0);
    const report = readReport(out, 'webgpu');
    expectConsistent(report);
    const row = report.rows[0]!;
    for (const v of ['fused', 'tfDropout', 'add'] as const) {
      const ms = row.kernelMedianMs?.[v];
      expect(ms, v).toBeGreaterThan(0);
      expect(row.kernelGBps?.[v]).toBe((8 * row.elements) / ((ms as number) * 1e6));
    }
    expect(report.targets.map((t) => [t.id, t.met])).toEqual([
      ['kernelVsAdd', null],
      ['endToEndVsTfDropout', null],
      ['backwardNoMask', null],
    ]);
    expect(readFileSync(join(out, 'ops-webgpu.md'), 'utf8')).toContain(
      '## Device kernel time, ms (tf.time, median)',
    );
  });

  it('judges each target from the figures of its row, met or not', () => {
    const base = {
      op: 'dropout',
      ratios: { tfDropoutOverFused: 20 },
      medianMs: { fused: 10, tfDropout: 200 },
      cpuKernelMs: 15,
      kernelGBps: { fused: 1500, tfDropout: 200, add: 1700 },
      backwardBytes: { fused: { bytes: 4, perOutput: 1 } },
    };
    const at = (size: number, patch: object) => ({ ...base, size, ...patch }) as never;
    const M = 1024 * 1024;
    const wasm = evaluateTargets([at(4 * M, {})], 'wasm');
    expect(wasm.map((t) => [t.id, t.met])).toEqual([
      ['speedupVsTfDropout', true],
      ['fasterThanCpuKernel', false], // 15 / 10 = 1.5x < 2x
      ['backwardNoMask', true],
    ]);
    const gpu = evaluateTargets(
      [at(64 * M, { ratios: { tfDropoutOverFused: 120 } }), at(4 * M, {})],
      'webgpu',
    );
    expect(gpu.map((t) => [t.id, t.met])).toEqual([
      ['kernelVsAdd', true], // 1500 / 1700 = 0.88
      ['endToEndVsTfDropout', true],
      ['backwardNoMask', true],
    ]);
    const cpu = evaluateTargets(
      [
        at(4 * M, {
          ratios: { tfDropoutOverFused: 9 },
          backwardBytes: { fused: { bytes: 8, perOutput: 2 } },
        }),
      ],
      'cpu',
    );
    expect(cpu.map((t) => [t.id, t.met])).toEqual([
      ['speedupVsTfDropout', false],
      ['backwardNoMask', false],
    ]);
  });

  it('honours --sizes, --runs and --ops', async () => {
    const out = join(dir, 'some');
    const r = await run(
      'ops',
      '--sizes',
      '16K,20000',
      '--runs',
      '4',
      '--warmup',
      '0',
      '--ops',
      'dropout,dropBlock2d',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    const report = readReport(out);
    expect(report.quick).toBe(false);
    expect(report.rows.map((row) => [row.op, row.size])).toEqual([
      ['dropout', 16384],
      ['dropBlock2d', 16384],
      ['dropout', 20000],
      ['dropBlock2d', 20000],
    ]);
    expectConsistent(report);
    expect(report.rows.every((row) => row.samplesMs.fused?.length === 4)).toBe(true);
    expect(r.out).toContain('Fewer than the 7 runs');
  });

  it('bad options exit 2 with a message naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--backend', 'metal'], /--backend: received "metal"; expected one of "cpu"/],
      [['--runs', '1'], /--runs: received "1"; expected an integer >= 3/],
      [['--sizes', '0'], /--sizes: received "0"; expected comma-separated element counts/],
      [['--sizes', '1M,-4M'], /--sizes: received "1M,-4M"/],
      [['--ops', 'dropout,wobble'], /--ops: received "wobble"; expected comma-separated names/],
      [['--warmup', 'two'], /--warmup: received "two"/],
      [['extra'], /ops: received "extra"/],
    ];
    for (const [args, message] of cases) {
      const r = await run('ops', ...args, '--out', join(dir, 'never'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('fails loudly when an op leaks tensors', async () => {
    const backend = getBenchBackend('cpu');
    await backend.setup();
    const leaky = {
      name: 'leaky',
      rate: 0.5,
      run: (x: tf.Tensor, seed: number) => {
        tf.keep(tf.zeros([1]));
        return dropout(x, { rate: 0.5, seed });
      },
      comparableToTfDropout: false,
      inputShape: (n: number) => [n],
    };
    await expect(
      runOpsBench({ sizes: [1024], runs: 3, warmup: 0, ops: [leaky] }, backend, () => {}),
    ).rejects.toThrow(TensorLeakError);
  });
});

describe('sizes', () => {
  it('parses K and M as binary units and writes them back', () => {
    expect(parseSizes('--sizes', '64K, 1M,4m,1.5M,1000,1M')).toEqual([
      65536, 1048576, 4194304, 1572864, 1000,
    ]);
    expect(
      ['64K', '1M', '4M', '1000'].map((s) => formatSize(parseSizes('--sizes', s)[0]!)),
    ).toEqual(['64K', '1M', '4M', '1000']);
    for (const bad of ['0', '', '1.00001K', 'M', '4G', '512M']) {
      expect(() => parseSizes('--sizes', bad), bad).toThrow(/--sizes/);
    }
  });
});
