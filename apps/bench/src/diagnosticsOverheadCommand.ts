import { InvalidArgumentError } from '@dropkit/core';
import { getBenchBackend } from './benchBackends.js';
import { type BenchModel, getBenchModel } from './benchModels.js';
import { type ReportHeader, reportHeader, writeReport } from './benchReport.js';
import {
  type DiagnosticsOverheadMeasurement,
  runDiagnosticsOverheadBench,
} from './diagnosticsOverheadBench.js';
import {
  diagnosticsOverheadMarkdown,
  evaluateDiagnosticsOverheadTargets,
} from './diagnosticsOverheadReport.js';
import { hostInfo } from './opsReport.js';
import { integerOption } from './trainingOptions.js';
import type { TrainingTarget } from './trainStepReport.js';

/** The options of `dropkit-bench diagnostics-overhead`, validated. */
export interface DiagnosticsOverheadOptions {
  readonly backend: string;
  readonly model: BenchModel;
  readonly batchSize: number;
  readonly steps: number;
  readonly every: number;
  readonly k: number;
  readonly fullSubset: number;
  readonly warmupSteps: number;
  readonly outDir: string;
  readonly quick: boolean;
  /** MNIST examples trained on; undefined: the whole training split. */
  readonly dataLimit: number | undefined;
}

/** The defaults (the measurement settings), and the smaller ones of `--quick`. */
export const DIAGNOSTICS_OVERHEAD_DEFAULTS = {
  backend: 'cpu',
  model: 'vit-tiny',
  batchSize: 128,
  steps: 200,
  every: 50,
  k: 8,
  fullSubset: 2048,
  warmupSteps: 2,
  outDir: 'bench-results',
  seed: 1,
  quick: {
    model: 'vit-micro',
    batchSize: 16,
    steps: 6,
    every: 3,
    k: 2,
    fullSubset: 64,
    warmupSteps: 1,
    dataLimit: 512,
  },
} as const;

/** The option values `diagnostics-overhead` reads (strings as parseArgs gives them). */
export interface DiagnosticsOverheadArgs {
  readonly backend?: string | undefined;
  readonly model?: string | undefined;
  readonly 'batch-size'?: string | undefined;
  readonly steps?: string | undefined;
  readonly every?: string | undefined;
  readonly k?: string | undefined;
  readonly 'full-subset'?: string | undefined;
  readonly warmup?: string | undefined;
  readonly out?: string | undefined;
  readonly quick?: boolean | undefined;
}

/**
 * Validates the options of `diagnostics-overhead`; every error names its option.
 *
 * @param args - the parsed option strings.
 * @throws InvalidArgumentError for an unknown backend or model, a K below 2, a step count, period,
 *   batch size or subset below 1, a negative warm-up, or a subset larger than MNIST's training set.
 */
export function parseDiagnosticsOverheadOptions(
  args: DiagnosticsOverheadArgs,
): DiagnosticsOverheadOptions {
  const quick = args.quick === true;
  const d = DIAGNOSTICS_OVERHEAD_DEFAULTS;
  const q = d.quick;
  const backend = args.backend ?? d.backend;
  getBenchBackend(backend);
  const positive = (option: string, text: string | undefined, fallback: number) =>
    integerOption(option, text, fallback, 1, 'a positive integer');
  const dataLimit = quick ? q.dataLimit : undefined;
  const fullSubset = positive(
    '--full-subset',
    args['full-subset'],
    quick ? q.fullSubset : d.fullSubset,
  );
  const available = dataLimit ?? 60_000;
  if (fullSubset > available) {
    throw new InvalidArgumentError(
      '--full-subset',
      args['full-subset'],
      `an integer from 1 to ${available} (the MNIST examples ${quick ? 'quick mode loads' : 'of the training split'})`,
    );
  }
  return {
    backend,
    model: getBenchModel(args.model ?? (quick ? q.model : d.model)),
    batchSize: positive('--batch-size', args['batch-size'], quick ? q.batchSize : d.batchSize),
    steps: positive('--steps', args.steps, quick ? q.steps : d.steps),
    every: positive('--every', args.every, quick ? q.every : d.every),
    k: integerOption(
      '--k',
      args.k,
      quick ? q.k : d.k,
      2,
      'an integer >= 2 (GDV needs two gradients)',
    ),
    fullSubset,
    warmupSteps: integerOption(
      '--warmup',
      args.warmup,
      quick ? q.warmupSteps : d.warmupSteps,
      0,
      'an integer >= 0 (untimed training steps first)',
    ),
    outDir: args.out ?? d.outDir,
    quick,
    dataLimit,
  };
}

/** What `diagnostics-overhead-<backend>.json` holds. */
export interface DiagnosticsOverheadReport
  extends ReportHeader<'dropkit-bench diagnostics-overhead'> {
  readonly config: {
    readonly backend: string;
    readonly model: string;
    readonly batchSize: number;
    readonly steps: number;
    readonly every: number;
    readonly k: number;
    readonly fullSubset: number;
    readonly warmupSteps: number;
    readonly dataLimit: number | null;
  };
  readonly result: DiagnosticsOverheadMeasurement;
  readonly targets: readonly TrainingTarget[];
}

/** Where the report went. */
export interface DiagnosticsOverheadCommandResult {
  readonly report: DiagnosticsOverheadReport;
  readonly jsonPath: string;
  readonly markdownPath: string;
  readonly markdown: string;
}

/**
 * Runs `dropkit-bench diagnostics-overhead`: sets the backend up, trains with and without the
 * recorder, writes `diagnostics-overhead-<backend>.json` and `.md` and returns them.
 *
 * @param options - {@link DiagnosticsOverheadOptions}.
 * @param command - the command line, for the report.
 * @param progress - receives the progress lines (stderr in the CLI).
 */
export async function runDiagnosticsOverheadCommand(
  options: DiagnosticsOverheadOptions,
  command: string,
  progress: (line: string) => void,
): Promise<DiagnosticsOverheadCommandResult> {
  const backend = getBenchBackend(options.backend);
  const backendVersion = await backend.setup();
  const host = hostInfo(backend.name, `${backend.packageName}@${backendVersion}`);
  progress(
    `dropkit-bench diagnostics-overhead${options.quick ? ' (QUICK MODE)' : ''}: ${options.model.name}, batch ${options.batchSize}, ${options.steps} steps, measuring every ${options.every} (K = ${options.k}, full subset ${options.fullSubset}), backend ${backend.name}`,
  );
  const result = await runDiagnosticsOverheadBench(
    {
      model: options.model,
      batchSize: options.batchSize,
      steps: options.steps,
      every: options.every,
      k: options.k,
      fullSubset: options.fullSubset,
      warmupSteps: options.warmupSteps,
      dataLimit: options.dataLimit,
      seed: DIAGNOSTICS_OVERHEAD_DEFAULTS.seed,
    },
    backend,
    progress,
  );
  const targets = evaluateDiagnosticsOverheadTargets(result, backend.name);
  const report: DiagnosticsOverheadReport = {
    ...reportHeader('dropkit-bench diagnostics-overhead', command, options.quick, host),
    config: {
      backend: backend.name,
      model: options.model.name,
      batchSize: options.batchSize,
      steps: options.steps,
      every: options.every,
      k: options.k,
      fullSubset: options.fullSubset,
      warmupSteps: options.warmupSteps,
      dataLimit: options.dataLimit ?? null,
    },
    result,
    targets,
  };
  const markdown = diagnosticsOverheadMarkdown(result, targets, {
    host,
    command,
    quick: options.quick,
    warmupSteps: options.warmupSteps,
  });
  const paths = writeReport(
    options.outDir,
    `diagnostics-overhead-${backend.name}`,
    report,
    markdown,
  );
  return { report, markdown, ...paths };
}
