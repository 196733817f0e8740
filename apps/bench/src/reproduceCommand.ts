import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@dropkit/backends';
import { assertOneOf, InvalidArgumentError } from '@dropkit/core';
import {
  type DiagnosticsLogRecord,
  type ExperimentConfig,
  type RunRecord,
  readRunLog,
  writeFileAtomic,
  writeReport,
} from '@dropkit/lab';
import { formatMeanStd, intOption, meanStd, progressReporter, runWithInterrupt } from './labCli.js';
import type { Io } from './main.js';

export const REPRODUCE_HELP = `dropkit-bench reproduce [options]

The papers' claims at small scale, each over several seeds, reported as mean ± std with a verdict
(a claim that does not reproduce is reported as such):
  (a) early dropout ends with a lower training loss than no dropout on an underfitting model
  (b) late dropout ends with a better test accuracy than standard dropout on an overfitting model
  (c) early in training, dropout lowers GDV and GDE
  (d) dropout gives a smaller gradient norm but a larger distance from the initialization
  (e) on a 1-D fit with a small MLP, dropout condenses the input weights and finds flatter minima
Liu et al. 2023, "Dropout Reduces Underfitting" (a-d); Zhang & Xu, "Implicit regularization of
dropout" (e).

Options:
  --seeds <n>       seeds per arm (default 3)
  --backend <name>  ${BACKEND_REQUESTS.join(', ')} (default auto)
  --out <dir>       runs, report and claims.md (default bench-results/reproduce/)
  --quick           tiny sizes, for a smoke run; not results`;

interface Arm {
  readonly setting: string;
  readonly arm: string;
  readonly config: (seed: number) => ExperimentConfig;
}

interface Sizes {
  readonly mnistTrain: number;
  readonly underEpochs: number;
  readonly overTrain: number;
  readonly overEpochs: number;
  readonly overHidden: number[];
  readonly condEpochs: number;
  readonly condHidden: number;
}

const FULL: Sizes = {
  mnistTrain: 4000,
  underEpochs: 6,
  overTrain: 1000,
  overEpochs: 30,
  overHidden: [256, 256],
  condEpochs: 400,
  condHidden: 50,
};
const QUICK: Sizes = {
  mnistTrain: 256,
  underEpochs: 2,
  overTrain: 128,
  overEpochs: 2,
  overHidden: [16],
  condEpochs: 10,
  condHidden: 8,
};

function arms(s: Sizes, backend: BackendRequest): Arm[] {
  const mnist = (train: number) => ({ kind: 'mnist' as const, trainSize: train, testSize: 1000 });
  // Underfitting: a narrow MLP on a larger set, trained briefly (the paper's regime test decides).
  const under =
    (schedule: string | undefined) =>
    (seed: number): ExperimentConfig => ({
      name: 'underfitting',
      seed,
      model: { kind: 'mlp', hidden: [16] },
      dataset: mnist(s.mnistTrain),
      optimizer: { kind: 'adam', learningRate: 2e-3 },
      training: { epochs: s.underEpochs, batchSize: 64 },
      schedule: schedule === undefined ? {} : { dropout: schedule },
      backend,
    });
  // Overfitting: a wide MLP on a small set, trained long; GDV / GDE measured densely early on.
  const over =
    (schedule: string | undefined) =>
    (seed: number): ExperimentConfig => ({
      name: 'overfitting',
      seed,
      model: { kind: 'mlp', hidden: s.overHidden },
      dataset: mnist(s.overTrain),
      optimizer: { kind: 'adam', learningRate: 1e-3 },
      training: { epochs: s.overEpochs, batchSize: 32 },
      schedule: schedule === undefined ? {} : { dropout: schedule },
      diagnostics: { every: 4, gradientDirection: { k: 4, fullSubsetSize: 512 } },
      backend,
    });
  const cutoffUnder = Math.max(1, Math.floor(s.underEpochs / 2));
  const cutoffOver = Math.max(1, Math.floor(s.overEpochs / 4));
  // Condensation: Zhang & Xu's 1-D fit, full batch, small initialization of a wide hidden layer.
  const cond =
    (schedule: string | undefined) =>
    (seed: number): ExperimentConfig => ({
      name: 'condensation',
      seed,
      model: { kind: 'mlp', hidden: [s.condHidden], activation: 'tanh' },
      dataset: { kind: 'condensation1d', target: 'sin', n: 16 },
      optimizer: { kind: 'adam', learningRate: 5e-3 },
      training: { epochs: s.condEpochs, batchSize: 16 },
      schedule: schedule === undefined ? {} : { dropout: schedule },
      diagnostics: { every: 1_000_000, condensation: true, hessian: { maxIterations: 30 } },
      logEvery: 10,
      backend,
    });
  return [
    { setting: 'underfitting', arm: 'none', config: under(undefined) },
    {
      setting: 'underfitting',
      arm: 'early',
      config: under(`early:0.1:linear:cutoff=${cutoffUnder}ep`),
    },
    { setting: 'overfitting', arm: 'none', config: over(undefined) },
    { setting: 'overfitting', arm: 'standard', config: over('standard:0.3') },
    { setting: 'overfitting', arm: 'late', config: over(`late:0.3:cutoff=${cutoffOver}ep`) },
    { setting: 'condensation', arm: 'none', config: cond(undefined) },
    { setting: 'condensation', arm: 'dropout', config: cond('standard:0.2') },
  ];
}

/** One claim: the numbers of the two arms over seeds and whether it held. */
export interface ClaimRow {
  readonly id: string;
  readonly claim: string;
  readonly measure: string;
  readonly a: { readonly arm: string; readonly values: number[] };
  readonly b: { readonly arm: string; readonly values: number[] };
  /** `lower` when the claim says arm a is lower than arm b, `higher` for higher. */
  readonly direction: 'lower' | 'higher';
}

/** Whether a claim held: the means in the claimed direction, and in how many seeds it held. */
export function claimVerdict(row: ClaimRow): { reproduced: boolean; seedsHolding: number } {
  const holds = (x: number, y: number) => (row.direction === 'lower' ? x < y : x > y);
  let seedsHolding = 0;
  row.a.values.forEach((v, i) => {
    if (holds(v, row.b.values[i] as number)) seedsHolding += 1;
  });
  return {
    reproduced: holds(meanStd(row.a.values).mean, meanStd(row.b.values).mean),
    seedsHolding,
  };
}

/** The claims table, markdown. */
export function claimsTable(rows: readonly ClaimRow[]): string {
  const head = [
    'claim',
    'measure',
    'arm A (mean ± std)',
    'arm B (mean ± std)',
    'holds in seeds',
    'verdict',
  ];
  const body = rows.map((r) => {
    const v = claimVerdict(r);
    return [
      `(${r.id}) ${r.claim}`,
      r.measure,
      `${r.a.arm}: ${formatMeanStd(r.a.values)}`,
      `${r.b.arm}: ${formatMeanStd(r.b.values)}`,
      `${v.seedsHolding}/${r.a.values.length}`,
      v.reproduced ? 'reproduced' : '**not reproduced**',
    ];
  });
  return [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

const epochs = (rs: readonly RunRecord[]) => rs.filter((r) => r.type === 'epoch');
const lastEpoch = (rs: readonly RunRecord[]) => {
  const e = epochs(rs).at(-1);
  if (e === undefined || e.type !== 'epoch') throw new Error('a run without an epoch');
  return e;
};
const diags = (rs: readonly RunRecord[]) =>
  rs.filter((r): r is DiagnosticsLogRecord => r.type === 'diagnostics' && r.step > 0);
const finalDiag = (rs: readonly RunRecord[]) =>
  rs.find((r): r is DiagnosticsLogRecord => r.type === 'final');
/** The mean of a diagnostic over the first `n` measurements after step 0 (early training). */
const earlyMean = (rs: readonly RunRecord[], key: 'gdv' | 'gde', n: number) => {
  const v = diags(rs)
    .slice(0, n)
    .map((d) => d[key] as number);
  return v.reduce((a, b) => a + b, 0) / v.length;
};
/** The mean of a diagnostic over the whole run. */
const runMean = (rs: readonly RunRecord[], key: 'gradientNorm' | 'distance') => {
  const v = diags(rs).map((d) => d[key] as number);
  return v.reduce((a, b) => a + b, 0) / v.length;
};

/** Runs `reproduce`; returns the exit code. */
export async function runReproduce(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      seeds: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(REPRODUCE_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new InvalidArgumentError(
      'reproduce',
      positionals[0],
      'options only, no positional arguments',
    );
  }
  const quick = values.quick === true;
  const seeds = intOption('seeds', values.seeds, quick ? 2 : 3);
  const backend = assertOneOf('--backend', values.backend ?? 'auto', BACKEND_REQUESTS);
  const out = values.out ?? 'bench-results/reproduce';
  if (quick) io.err('QUICK MODE: a smoke run with tiny sizes; the numbers are not results.');
  const plan = arms(quick ? QUICK : FULL, backend);
  const logs = new Map<string, RunRecord[][]>();
  const dirs: string[] = [];
  let index = 0;
  for (const a of plan) {
    const key = `${a.setting}/${a.arm}`;
    logs.set(key, []);
    for (let seed = 0; seed < seeds; seed++) {
      index += 1;
      const dir = join(out, 'runs', `${a.setting}-${a.arm}-seed${seed}`);
      const label = `[${index}/${plan.length * seeds}] ${a.setting} ${a.arm} seed ${seed}`;
      const result = await runWithInterrupt(a.config(seed), dir, progressReporter(io, label));
      if (result.status === 'interrupted') {
        io.err(`interrupted; run the same command again to continue.`);
        return 130;
      }
      logs.get(key)?.push(readRunLog(dir));
      if (seed === 0) dirs.push(dir);
    }
  }
  const of = (key: string) => logs.get(key) as RunRecord[][];
  const early = quick ? 2 : 5;
  const rows: ClaimRow[] = [
    {
      id: 'a',
      claim: 'early dropout lowers the final training loss of an underfitting model',
      measure: 'final train loss (inference mode)',
      a: { arm: 'early', values: of('underfitting/early').map((r) => lastEpoch(r).trainLoss) },
      b: { arm: 'none', values: of('underfitting/none').map((r) => lastEpoch(r).trainLoss) },
      direction: 'lower',
    },
    {
      id: 'b',
      claim: 'late dropout beats standard dropout on test accuracy (overfitting model)',
      measure: 'final test accuracy',
      a: { arm: 'late', values: of('overfitting/late').map((r) => lastEpoch(r).testAccuracy ?? 0) },
      b: {
        arm: 'standard',
        values: of('overfitting/standard').map((r) => lastEpoch(r).testAccuracy ?? 0),
      },
      direction: 'higher',
    },
    {
      id: 'c',
      claim: 'early in training, dropout lowers GDV',
      measure: `mean GDV over the first ${early} measurements`,
      a: {
        arm: 'standard',
        values: of('overfitting/standard').map((r) => earlyMean(r, 'gdv', early)),
      },
      b: { arm: 'none', values: of('overfitting/none').map((r) => earlyMean(r, 'gdv', early)) },
      direction: 'lower',
    },
    {
      id: 'c',
      claim: 'early in training, dropout lowers GDE',
      measure: `mean GDE over the first ${early} measurements`,
      a: {
        arm: 'standard',
        values: of('overfitting/standard').map((r) => earlyMean(r, 'gde', early)),
      },
      b: { arm: 'none', values: of('overfitting/none').map((r) => earlyMean(r, 'gde', early)) },
      direction: 'lower',
    },
    {
      id: 'd',
      claim: 'dropout gives a smaller gradient norm',
      measure: 'mean gradient norm over training',
      a: {
        arm: 'standard',
        values: of('overfitting/standard').map((r) => runMean(r, 'gradientNorm')),
      },
      b: { arm: 'none', values: of('overfitting/none').map((r) => runMean(r, 'gradientNorm')) },
      direction: 'lower',
    },
    {
      id: 'd',
      claim: 'dropout moves the model farther from its initialization',
      measure: 'final distance ||W - W0||',
      a: {
        arm: 'standard',
        values: of('overfitting/standard').map((r) => finalDiag(r)?.distance ?? 0),
      },
      b: { arm: 'none', values: of('overfitting/none').map((r) => finalDiag(r)?.distance ?? 0) },
      direction: 'higher',
    },
    {
      id: 'e',
      claim: 'dropout condenses the input weights (1-D fit)',
      measure: 'fraction of neurons in the largest |cos| >= 0.95 cluster',
      a: {
        arm: 'dropout',
        values: of('condensation/dropout').map(
          (r) => finalDiag(r)?.condensation?.largestClusterFraction ?? 0,
        ),
      },
      b: {
        arm: 'none',
        values: of('condensation/none').map(
          (r) => finalDiag(r)?.condensation?.largestClusterFraction ?? 0,
        ),
      },
      direction: 'higher',
    },
    {
      id: 'e',
      claim: 'dropout finds flatter minima (1-D fit)',
      measure: 'top Hessian eigenvalue at the end',
      a: {
        arm: 'dropout',
        values: of('condensation/dropout').map((r) => finalDiag(r)?.hessianTop ?? 0),
      },
      b: { arm: 'none', values: of('condensation/none').map((r) => finalDiag(r)?.hessianTop ?? 0) },
      direction: 'lower',
    },
  ];
  const table = claimsTable(rows);
  const settings = [
    `Seeds: ${seeds} per arm (seed = weight init, dropout masks, data order; the data are fixed).`,
    'Settings: underfitting = MLP [16] on an MNIST subset; overfitting = a wide MLP on a small MNIST subset (standard dropout 0.3, late 0.3 from a quarter of training); condensation = a tanh MLP on a 1-D sin fit, standard dropout 0.2.',
    "A claim is reproduced when the means differ in the claimed direction; 'holds in seeds' counts seeds where it held pairwise. Small runs on one machine: read the spread, not just the verdict.",
  ].join('\n');
  writeFileAtomic(
    join(out, 'claims.md'),
    new TextEncoder().encode(
      `# Paper claims at small scale${quick ? ' (QUICK MODE)' : ''}\n\n${settings}\n\n${table}\n`,
    ),
    'write the claims',
  );
  const report = await writeReport(dirs, out, {
    title: `dropkit: paper claims at small scale${quick ? ' (QUICK MODE)' : ''}`,
    preamble: `${settings}\n\n${table}`,
  });
  io.out(table);
  io.out(`\n${settings}`);
  io.out(`\nclaims: ${join(out, 'claims.md')}; report (seed 0 of each arm): ${report.html}`);
  return 0;
}
