import { InvalidArgumentError } from '@dropkit/core';
import { getBenchBackend } from './benchBackends.js';
import { type ReportHeader, reportHeader, writeReport } from './benchReport.js';
import {
  type OpsBenchRow,
  runOpsBench,
  TF_DROPOUT_BACKWARD_UNAVAILABLE,
  tfDropoutHasGradient,
} from './opsBench.js';
import { evaluateTargets, hostInfo, opsMarkdown, type TargetResult } from './opsReport.js';
import { OPS_TABLE, type OpEntry } from './opsTable.js';
import { formatSize, parseSizes } from './sizes.js';

/** The options of `dropkit-bench ops`, as parsed from the command line. */
export interface OpsOptions {
  readonly backend: string;
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly warmup: number;
  readonly ops: readonly OpEntry[];
  readonly outDir: string;
  readonly quick: boolean;
}

/** The defaults, and the smaller ones `--quick` switches to. */
export const OPS_DEFAULTS = {
  backend: 'cpu',
  sizes: '1M,4M,16M',
  /** WebGPU adds 64M, the size anchors.md's H100 figures are given at. */
  gpuSizes: '1M,4M,16M,64M',
  runs: 7,
  warmup: 2,
  outDir: 'bench-results',
  quick: { sizes: '64K', runs: 3, warmup: 1 },
} as const;

/** The fewest timed runs a median is taken over. */
export const MIN_RUNS = 3;

/** The option values `ops` reads (all strings as parseArgs gives them). */
export interface OpsArgs {
  readonly backend?: string | undefined;
  readonly sizes?: string | undefined;
  readonly runs?: string | undefined;
  readonly warmup?: string | undefined;
  readonly ops?: string | undefined;
  readonly out?: string | undefined;
  readonly quick?: boolean | undefined;
}

function integer(option: string, text: string, min: number, allowed: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(option, text, allowed);
  }
  return n;
}

/**
 * Validates the options of `ops`; every error names its option.
 *
 * @param args - the parsed option strings.
 * @throws InvalidArgumentError for an unknown backend or op, a bad size, fewer than 3 runs or a
 *   negative warm-up.
 */
export function parseOpsOptions(args: OpsArgs): OpsOptions {
  const quick = args.quick === true;
  const backend = args.backend ?? OPS_DEFAULTS.backend;
  getBenchBackend(backend);
  const sizes = parseSizes(
    '--sizes',
    args.sizes ??
      (quick
        ? OPS_DEFAULTS.quick.sizes
        : backend === 'webgpu'
          ? OPS_DEFAULTS.gpuSizes
          : OPS_DEFAULTS.sizes),
  );
  const runs =
    args.runs === undefined
      ? quick
        ? OPS_DEFAULTS.quick.runs
        : OPS_DEFAULTS.runs
      : integer(
          '--runs',
          args.runs,
          MIN_RUNS,
          `an integer >= ${MIN_RUNS} (the issue asks for 7 or more; default ${OPS_DEFAULTS.runs})`,
        );
  const warmup =
    args.warmup === undefined
      ? quick
        ? OPS_DEFAULTS.quick.warmup
        : OPS_DEFAULTS.warmup
      : integer('--warmup', args.warmup, 0, 'an integer >= 0');
  const names = OPS_TABLE.map((o) => o.name);
  let ops: OpEntry[] = [...OPS_TABLE];
  if (args.ops !== undefined) {
    const wanted = args.ops.split(',').map((s) => s.trim());
    ops = [];
    for (const name of wanted) {
      const entry = OPS_TABLE.find((o) => o.name === name);
      if (entry === undefined) {
        throw new InvalidArgumentError(
          '--ops',
          name,
          `comma-separated names from ${names.join(', ')}`,
        );
      }
      if (!ops.includes(entry)) ops.push(entry);
    }
  }
  return { backend, sizes, runs, warmup, ops, outDir: args.out ?? OPS_DEFAULTS.outDir, quick };
}

/** What `ops-<backend>.json` holds. */
export interface OpsBenchReport extends ReportHeader<'dropkit-bench ops'> {
  readonly config: {
    readonly backend: string;
    readonly sizes: readonly number[];
    readonly runs: number;
    readonly warmup: number;
    readonly ops: readonly string[];
  };
  /** Why tf.dropout's backward is n/a, or null when it was measured. */
  readonly tfDropoutBackwardUnavailable: string | null;
  readonly rows: readonly OpsBenchRow[];
  readonly targets: readonly TargetResult[];
}

/** Where the report went. */
export interface OpsCommandResult {
  readonly report: OpsBenchReport;
  readonly jsonPath: string;
  readonly markdownPath: string;
  readonly markdown: string;
}

/**
 * Runs `dropkit-bench ops`: sets the backend up, times every op at every size, writes
 * `ops-<backend>.json` and `ops-<backend>.md` to the output folder and returns them.
 *
 * @param options - {@link OpsOptions}.
 * @param command - the command line, for the report.
 * @param progress - receives the progress lines (stderr in the CLI).
 */
export async function runOpsCommand(
  options: OpsOptions,
  command: string,
  progress: (line: string) => void,
): Promise<OpsCommandResult> {
  const backend = getBenchBackend(options.backend);
  const backendVersion = await backend.setup();
  const host = hostInfo(backend.name, `${backend.packageName}@${backendVersion}`);
  progress(
    `dropkit-bench ops${options.quick ? ' (QUICK MODE)' : ''}: ${options.ops.length} ops x ${options.sizes.length} sizes (${options.sizes.map(formatSize).join(', ')}), ${options.runs} runs after ${options.warmup} warm-up, backend ${backend.name}`,
  );
  const rows = await runOpsBench(
    { sizes: options.sizes, runs: options.runs, warmup: options.warmup, ops: options.ops },
    backend,
    progress,
  );
  const tfDropoutBackwardUnavailable = tfDropoutHasGradient()
    ? null
    : TF_DROPOUT_BACKWARD_UNAVAILABLE;
  const targets = evaluateTargets(rows, backend.name);
  const report: OpsBenchReport = {
    ...reportHeader('dropkit-bench ops', command, options.quick, host),
    config: {
      backend: backend.name,
      sizes: options.sizes,
      runs: options.runs,
      warmup: options.warmup,
      ops: options.ops.map((o) => o.name),
    },
    tfDropoutBackwardUnavailable,
    rows,
    targets,
  };
  const ctx = {
    host,
    command,
    runs: options.runs,
    warmup: options.warmup,
    quick: options.quick,
    tfDropoutBackwardUnavailable,
  };
  const markdown = opsMarkdown(rows, targets, ctx);
  const paths = writeReport(options.outDir, `ops-${backend.name}`, report, markdown);
  return { report, markdown, ...paths };
}
