import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's own gradients (BatchMatMul, Softmax, ...) are needed to train, as the bundled CLI
// imports them. After tfjs-core itself: its engine must be the one tfjs-core's main entry made.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// A backend to count tensors on before the command sets its own up.
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DiagnosticsOverheadMeasurement,
  type DiagnosticsOverheadReport,
  evaluateDiagnosticsOverheadTargets,
  main,
  median,
  RECORDED_PROBES,
  type TrainingRun,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-bench-diagnostics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('dropkit-bench diagnostics-overhead', () => {
  it('--quick writes consistent JSON, labels quick mode and leaks no tensor', async () => {
    const out = join(dir, 'quick');
    const before = tf.memory().numTensors;
    const r = await run(
      'diagnostics-overhead',
      '--quick',
      '--steps',
      '4',
      '--every',
      '2',
      '--batch-size',
      '8',
      '--full-subset',
      '32',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const report = JSON.parse(
      readFileSync(join(out, 'diagnostics-overhead-cpu.json'), 'utf8'),
    ) as DiagnosticsOverheadReport;
    expect(report.quick).toBe(true);
    expect(report.config).toMatchObject({ model: 'vit-micro', steps: 4, every: 2, k: 2 });
    const m = report.result;
    for (const [name, run] of Object.entries(m.runs) as [string, TrainingRun][]) {
      expect(run.stepsMs, name).toHaveLength(4);
      expect(run.stepMedianMs, name).toBe(median(run.stepsMs));
      expect(run.totalMs, name).toBeGreaterThanOrEqual(sum(run.stepsMs) + run.recordingMs);
      expect(Number.isFinite(run.lastLoss), name).toBe(true);
    }
    expect(m.runs.withoutRecorder.recordingMs).toBe(0);
    // Steps 0 and 2 of 4.
    expect(m.measurements).toBe(2);
    expect(m.measurementMs.samplesMs).toHaveLength(2);
    expect(m.measurementMs.medianMs).toBe(median(m.measurementMs.samplesMs));
    expect(m.runs.withRecorder.recordingMs).toBeCloseTo(sum(m.measurementMs.samplesMs), 6);
    for (const probe of RECORDED_PROBES) {
      const c = m.perMeasurement[probe];
      expect(c.samplesMs, probe).toHaveLength(2);
      expect(c.medianMs, probe).toBe(median(c.samplesMs));
      // A probe is part of the recorder's step, never more than it.
      expect(c.medianMs, probe).toBeLessThanOrEqual(m.measurementMs.medianMs);
    }
    expect(m.ratios.withOverWithout).toBe(
      m.runs.withRecorder.totalMs / m.runs.withoutRecorder.totalMs,
    );
    expect(m.ratios.recordingOverTraining).toBe(
      m.runs.withRecorder.recordingMs / sum(m.runs.withRecorder.stepsMs),
    );
    // K = 2 batches of 8, the 32-example subset and the norm's batch of 8, against 2 x 8.
    expect(m.work).toEqual({
      examplesPerMeasurement: 2 * 8 + 32 + 8,
      examplesTrainedPerInterval: 2 * 8,
      fraction: (2 * 8 + 32 + 8) / (2 * 8),
    });
    // GDV and GDE are means of 1 - cos, in [0, 2]; after training steps the weights have moved.
    expect(m.lastValues.gdv).toBeGreaterThan(0);
    expect(m.lastValues.gdv).toBeLessThanOrEqual(2);
    expect(m.lastValues.gde).toBeGreaterThan(0);
    expect(m.lastValues.gde).toBeLessThanOrEqual(2);
    expect(m.lastValues.gradientNorm).toBeGreaterThan(0);
    expect(m.lastValues.distanceFromInit).toBeGreaterThan(0);
    expect(report.targets.map((t) => [t.id, t.met])).toEqual([['recordingOverhead', null]]);
    const md = readFileSync(join(out, 'diagnostics-overhead-cpu.md'), 'utf8');
    expect(md).toBe(r.out);
    expect(md).toContain('QUICK MODE');
    expect(md).toContain(report.host.cpu);
  }, 600_000);

  it('bad options exit 2 naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--k', '1'], /--k: received "1"; expected an integer >= 2/],
      [['--every', '0'], /--every: received "0"; expected a positive integer/],
      [['--steps', 'many'], /--steps: received "many"/],
      [
        ['--full-subset', '70000'],
        /--full-subset: received "70000"; expected an integer from 1 to 60000/,
      ],
      [['--model', 'vit-huge'], /--model: received "vit-huge"/],
      [['--backend', 'tpu'], /--backend: received "tpu"/],
      [['extra'], /diagnostics-overhead: received "extra"; expected options only/],
    ];
    for (const [args, message] of cases) {
      const r = await run('diagnostics-overhead', ...args, '--out', join(dir, 'bad'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });
});

/** A measurement with chosen run totals and settings; only what the verdict reads matters. */
function synthetic(options: {
  withMs: number;
  withoutMs: number;
  targetModel?: boolean;
  every?: number;
  k?: number;
  fullSubset?: number;
}): DiagnosticsOverheadMeasurement {
  const runOf = (totalMs: number, recordingMs: number): TrainingRun => ({
    totalMs,
    stepsMs: [totalMs - recordingMs],
    stepMedianMs: totalMs - recordingMs,
    recordingMs,
    lastLoss: 2,
  });
  const cost = { samplesMs: [1], medianMs: 1, peakBytes: 0 };
  return {
    model: {
      name: options.targetModel === false ? 'vit-micro' : 'vit-tiny',
      description: '',
      targetModel: options.targetModel ?? true,
      trainableParameters: 1,
      frozen: [],
      frozenReason: null,
    },
    batchSize: 128,
    steps: 200,
    every: options.every ?? 50,
    k: options.k ?? 8,
    fullSubset: options.fullSubset ?? 2048,
    schedule: 'early:0.1:linear:cutoff=5ep',
    runs: {
      withoutRecorder: runOf(options.withoutMs, 0),
      withRecorder: runOf(options.withMs, options.withMs - options.withoutMs),
    },
    measurements: 4,
    perMeasurement: { gradientDirection: cost, gradientNorm: cost, distanceFromInit: cost },
    measurementMs: { samplesMs: [1], medianMs: 1 },
    work: { examplesPerMeasurement: 1, examplesTrainedPerInterval: 1, fraction: 1 },
    lastValues: { gdv: 1, gde: 1, gradientNorm: 1, distanceFromInit: 1 },
    // Deliberately wrong: the verdict must come from the run totals.
    ratios: { withOverWithout: 1, recordingOverTraining: 0 },
  };
}

describe('diagnostics-overhead target', () => {
  it('is met at up to 1.1x the training time without the recorder', () => {
    const [met] = evaluateDiagnosticsOverheadTargets(
      synthetic({ withMs: 1080, withoutMs: 1000 }),
      'webgpu',
    );
    expect(met?.met).toBe(true);
    expect(met?.measured).toMatch(/^1\.08x, \+8\.0%/);
    const [edge] = evaluateDiagnosticsOverheadTargets(
      synthetic({ withMs: 1100, withoutMs: 1000 }),
      'wasm',
    );
    expect(edge?.met).toBe(true);
  });

  it('is not met above 1.1x', () => {
    const [t] = evaluateDiagnosticsOverheadTargets(
      synthetic({ withMs: 1500, withoutMs: 1000 }),
      'cpu',
    );
    expect(t?.met).toBe(false);
    expect(t?.measured).toMatch(/^1\.50x, \+50\.0% \(200 steps: 1500 ms with the recorder/);
  });

  it('is not judged on a tiny model or other measurement settings', () => {
    const tiny = synthetic({ withMs: 1000, withoutMs: 1000, targetModel: false });
    expect(evaluateDiagnosticsOverheadTargets(tiny, 'wasm')[0]?.met).toBeNull();
    const k4 = synthetic({ withMs: 1000, withoutMs: 1000, k: 4 });
    const [t] = evaluateDiagnosticsOverheadTargets(k4, 'wasm');
    expect(t?.met).toBeNull();
    expect(t?.notJudged).toMatch(/K = 4/);
  });
});
