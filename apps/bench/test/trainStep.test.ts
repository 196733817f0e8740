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
  evaluateTrainStepTargets,
  main,
  median,
  TRAIN_STEP_VARIANTS,
  type TrainStepMeasurement,
  type TrainStepReport,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dropkit-bench-train-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const readReport = (folder: string, backend: string) =>
  JSON.parse(readFileSync(join(folder, `train-step-${backend}.json`), 'utf8')) as TrainStepReport;

/** Every figure is finite and follows from the samples it was computed from. */
function expectConsistent(report: TrainStepReport): void {
  const m = report.result;
  expect(m.batchSize).toBe(report.config.batchSize);
  for (const v of TRAIN_STEP_VARIANTS) {
    const t = m.steps[v];
    expect(t.samplesMs, v).toHaveLength(report.config.runs);
    expect(
      t.samplesMs.every((x) => Number.isFinite(x) && x > 0),
      v,
    ).toBe(true);
    expect(t.medianMs, v).toBe(median(t.samplesMs));
    expect(t.examplesPerSecond, v).toBe(m.batchSize / (t.medianMs / 1000));
    expect(Number.isFinite(t.lastLoss) && t.lastLoss > 0, `${v} loss ${t.lastLoss}`).toBe(true);
  }
  expect(m.read.samplesMs).toHaveLength(report.config.runs);
  expect(m.read.medianMs).toBe(median(m.read.samplesMs));
  expect(m.read.examplesPerSecond).toBe(m.read.examples / (m.read.medianMs / 1000));
  expect(m.ratios.scheduledOverNoDropout).toBe(
    m.steps.scheduledDropout.medianMs / m.steps.noDropout.medianMs,
  );
  expect(m.ratios.readOverTrain).toBe(
    m.read.examplesPerSecond / m.steps.scheduledDropout.examplesPerSecond,
  );
}

describe('dropkit-bench train-step', () => {
  it('--quick on cpu writes consistent JSON, labels quick mode and leaks no tensor', async () => {
    const out = join(dir, 'cpu');
    const before = tf.memory().numTensors;
    const r = await run('train-step', '--quick', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const report = readReport(out, 'cpu');
    expect(report.quick).toBe(true);
    expect(report.host.backend).toBe('cpu');
    expect(report.config).toMatchObject({ model: 'vit-micro', runs: 3, warmup: 1 });
    expectConsistent(report);
    const m = report.result;
    // 1 warm-up + 3 timed rounds, each with both steps and a read.
    expect(r.err.match(/^\[\d\/4\]/gm)).toHaveLength(4);
    expect(m.read.examples).toBe(1024);
    expect(m.read.batches).toBe(Math.ceil(1024 / report.config.batchSize));
    expect(m.model.frozen).toEqual([]);
    // The schedule sets every dropout site (attention, projection, two MLP per block, and the
    // position dropout) and the drop path of each block.
    expect(m.rates.dropout).toBe(0.1);
    expect(m.rates.dropPath).toBe(0.1);
    expect(m.rates.sites).toEqual({ dropout: 2 * 4 + 1, dropPath: 2 });
    expect(m.rates.dropPathRates).toEqual([0, 0.1]);
    // Not ViT-Tiny: the figures are reported, the targets not judged.
    expect(report.targets.map((t) => [t.id, t.met])).toEqual([
      ['dropoutStepOverhead', null],
      ['readVsTrain', null],
    ]);
    const md = readFileSync(join(out, 'train-step-cpu.md'), 'utf8');
    expect(md).toBe(r.out);
    expect(md).toContain('QUICK MODE');
    expect(md).toContain(report.host.cpu);
    expect(md).toContain('not judged: measured on vit-micro, not ViT-Tiny');
  }, 300_000);

  it('on wasm every weight trains, the patch embedding included (initWasm fills tfjs-wasm 4.22 gap)', async () => {
    const out = join(dir, 'wasm');
    const r = await run('train-step', '--quick', '--backend', 'wasm', '--out', out);
    expect(r.code, r.err).toBe(0);
    const report = readReport(out, 'wasm');
    expectConsistent(report);
    // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter; @dropkit/backend-wasm registers one.
    expect(report.result.model.frozen).toEqual([]);
    expect(report.result.model.frozenReason).toBeNull();
    expect(report.result.model.trainableParameters).toBe(27978);
    expect(r.out).not.toContain('Frozen:');
  }, 300_000);

  it('bad options exit 2 naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--runs', '2'], /--runs: received "2"; expected an integer >= 3/],
      [['--batch-size', '0'], /--batch-size: received "0"/],
      [['--warmup', 'x'], /--warmup: received "x"/],
      [
        ['--model', 'resnet'],
        /--model: received "resnet"; expected one of "vit-tiny", "vit-micro"/,
      ],
      [['--backend', 'tpu'], /--backend: received "tpu"/],
      [['extra'], /train-step: received "extra"; expected options only/],
    ];
    for (const [args, message] of cases) {
      const r = await run('train-step', ...args, '--out', join(dir, 'bad'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });
});

/** A measurement with chosen figures; the rest consistent with them. */
function synthetic(options: {
  scheduledMs: number;
  noDropoutMs: number;
  readMs: number;
  examples?: number;
  targetModel?: boolean;
  batchSize?: number;
}): TrainStepMeasurement {
  const batchSize = options.batchSize ?? 128;
  const examples = options.examples ?? 60_000;
  const timing = (ms: number) => ({
    samplesMs: [ms],
    medianMs: ms,
    examplesPerSecond: batchSize / (ms / 1000),
    lastLoss: 2.3,
  });
  return {
    model: {
      name: options.targetModel === false ? 'vit-micro' : 'vit-tiny',
      description: '',
      targetModel: options.targetModel ?? true,
      trainableParameters: 1,
      frozen: [],
      frozenReason: null,
    },
    batchSize,
    optimizer: 'Adam',
    rates: {
      schedule: 'early:0.1:linear:cutoff=5ep',
      step: 0,
      stepsPerEpoch: 468,
      dropout: 0.1,
      dropPath: 0.1,
      dropPathRates: [0, 0.1],
      sites: { dropout: 1, dropPath: 2 },
    },
    steps: {
      scheduledDropout: timing(options.scheduledMs),
      noDropout: timing(options.noDropoutMs),
    },
    read: {
      samplesMs: [options.readMs],
      medianMs: options.readMs,
      examples,
      batches: Math.ceil(examples / batchSize),
      loadMedianMs: options.readMs / 2,
      batchesMedianMs: options.readMs / 2,
      examplesPerSecond: examples / (options.readMs / 1000),
    },
    // Deliberately wrong: the verdicts must come from the timings, not from these.
    ratios: { scheduledOverNoDropout: 1, readOverTrain: 100 },
  };
}

describe('train-step targets', () => {
  const byId = (targets: ReturnType<typeof evaluateTrainStepTargets>, id: string) =>
    targets.find((t) => t.id === id);

  it('the dropout step is judged at 1.1x of the no-dropout step on webgpu and wasm', () => {
    const fast = synthetic({ scheduledMs: 105, noDropoutMs: 100, readMs: 1 });
    const edge = synthetic({ scheduledMs: 110, noDropoutMs: 100, readMs: 1 });
    const slow = synthetic({ scheduledMs: 125, noDropoutMs: 100, readMs: 1 });
    expect(byId(evaluateTrainStepTargets(fast, 'wasm'), 'dropoutStepOverhead')?.met).toBe(true);
    expect(byId(evaluateTrainStepTargets(edge, 'webgpu'), 'dropoutStepOverhead')?.met).toBe(true);
    const notMet = byId(evaluateTrainStepTargets(slow, 'webgpu'), 'dropoutStepOverhead');
    expect(notMet?.met).toBe(false);
    expect(notMet?.measured).toMatch(/^1\.25x \(scheduled dropout 125 ms vs every rate 0 100 ms/);
    // Stated for webgpu and wasm: cpu is reported with its figure but not judged.
    const cpu = byId(evaluateTrainStepTargets(slow, 'cpu'), 'dropoutStepOverhead');
    expect(cpu?.met).toBeNull();
    expect(cpu?.measured).toMatch(/^1\.25x/);
    expect(cpu?.notJudged).toMatch(/stated for webgpu and wasm/);
  });

  it('reading is judged at 5x the examples per second the dropout step trains', () => {
    // 128 examples per 100 ms step = 1,280 examples/s trained.
    const quick = synthetic({ scheduledMs: 100, noDropoutMs: 100, readMs: 6000 }); // 10,000/s
    const slowRead = synthetic({ scheduledMs: 100, noDropoutMs: 100, readMs: 12_000 }); // 5,000/s
    const met = byId(evaluateTrainStepTargets(quick, 'cpu'), 'readVsTrain');
    expect(met?.met).toBe(true);
    expect(met?.measured).toMatch(/^7\.81x \(read 10,000 examples\/s vs trained 1,280\.0/);
    expect(byId(evaluateTrainStepTargets(slowRead, 'wasm'), 'readVsTrain')?.met).toBe(false);
  });

  it('a tiny model or a partial read is not judged', () => {
    const micro = synthetic({ scheduledMs: 100, noDropoutMs: 100, readMs: 1, targetModel: false });
    expect(evaluateTrainStepTargets(micro, 'wasm').map((t) => t.met)).toEqual([null, null]);
    const partial = synthetic({ scheduledMs: 100, noDropoutMs: 100, readMs: 1, examples: 1024 });
    const read = byId(evaluateTrainStepTargets(partial, 'wasm'), 'readVsTrain');
    expect(read?.met).toBeNull();
    expect(read?.notJudged).toMatch(/only 1024 examples were read/);
  });
});
