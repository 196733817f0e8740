import { parseArgs } from 'node:util';
import { DropkitError, InvalidArgumentError } from '@dropkit/core';
import { parseSchedule, type Schedule, stepsPerEpoch } from '@dropkit/schedules';
import { benchBackendNames } from './benchBackends.js';
import { BENCH_MODELS } from './benchModels.js';
import {
  DIAGNOSTICS_OVERHEAD_DEFAULTS,
  parseDiagnosticsOverheadOptions,
  runDiagnosticsOverheadCommand,
} from './diagnosticsOverheadCommand.js';
import { runLabCommand } from './labCommands.js';
import { TensorLeakError } from './opsBench.js';
import { MIN_RUNS, OPS_DEFAULTS, parseOpsOptions, runOpsCommand } from './opsCommand.js';
import { OPS_TABLE } from './opsTable.js';
import { schedulePlot, scheduleTable } from './scheduleTable.js';
import { assertNoPositionals } from './trainingOptions.js';
import {
  parseTrainStepOptions,
  runTrainStepCommand,
  TRAIN_STEP_DEFAULTS,
} from './trainStepCommand.js';

/** Where the CLI writes. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The embedded default: MNIST's 60,000 training images, batch 128, 20 epochs. */
export const DEFAULTS = {
  trainSize: 60_000,
  batchSize: 128,
  epochs: 20,
  schedules: ['none', 'standard:0.1', 'early:0.1:linear:cutoff=5ep', 'late:0.1:cutoff=5ep'],
} as const;

const HELP = `dropkit-bench — dropkit's command line

Usage:
  dropkit-bench start [schedule ...] [options]    the main job: trains no / standard / early / late
                                                  dropout, prints the results, writes a report
  dropkit-bench reproduce [options]               the papers' claims at small scale, over seeds
  dropkit-bench sweep [options]                   a mode x rate x cutoff grid in worker processes
  dropkit-bench run <config.json> --out <dir>     one @dropkit/lab experiment (resumable)
  dropkit-bench schedule <schedule ...> [options] print the rate of each schedule per epoch
  dropkit-bench ops [options]                     time every dropout op (fused and composed)
                                                  against tf.dropout and tf.add
  dropkit-bench train-step [options]               time a ViT-Tiny training step with scheduled
                                                  dropout against every rate 0, and MNIST reading
  dropkit-bench diagnostics-overhead [options]    ViT-Tiny training with and without the
                                                  diagnostics recorder
  dropkit-bench --help

Schedules use the compact form <mode>:<rate>[:<shape>][:cutoff=<n>ep|<n>st][:warmup=...][:stages=k]
  e.g. none, standard:0.1, early:0.1:linear:cutoff=50ep, late:0.4:cutoff=50ep, ramp:0.1:cutoff=30ep

Options:
  --epochs <n>          training length in epochs (default ${DEFAULTS.epochs})
  --train-size <n>      training examples (default ${DEFAULTS.trainSize})
  --batch-size <n>      examples per step (default ${DEFAULTS.batchSize})
  --grad-accumulation <n>, --workers <n>   as in the official code (default 1)
  --no-plot             leave out the terminal plot

Options of ops:
  --backend <name>      tfjs backend: ${benchBackendNames().join(', ')} (default ${OPS_DEFAULTS.backend})
  --sizes <list>        element counts, K = 1024, M = 1048576 (default ${OPS_DEFAULTS.sizes}; webgpu ${OPS_DEFAULTS.gpuSizes})
  --runs <n>            timed runs per variant, median reported, >= ${MIN_RUNS} (default ${OPS_DEFAULTS.runs})
  --warmup <n>          untimed runs first (default ${OPS_DEFAULTS.warmup})
  --ops <list>          ops to time (default all): ${OPS_TABLE.map((o) => o.name).join(', ')}
  --out <dir>           writes ops-<backend>.json and ops-<backend>.md (default ${OPS_DEFAULTS.outDir}/)
  --quick               a smoke run (${OPS_DEFAULTS.quick.sizes}, ${OPS_DEFAULTS.quick.runs} runs), labeled QUICK MODE; not benchmark figures

Options of train-step (also --backend, --runs, --warmup, --out, --quick as for ops):
  --model <name>        ${BENCH_MODELS.map((m) => m.name).join(', ')} (default ${TRAIN_STEP_DEFAULTS.model})
  --batch-size <n>      examples per step (default ${TRAIN_STEP_DEFAULTS.batchSize})
  --quick               ${TRAIN_STEP_DEFAULTS.quick.model}, batch ${TRAIN_STEP_DEFAULTS.quick.batchSize}, ${TRAIN_STEP_DEFAULTS.quick.runs} runs, ${TRAIN_STEP_DEFAULTS.quick.readLimit} examples read; labeled QUICK MODE
  writes train-step-<backend>.json and .md

Options of diagnostics-overhead (also --backend, --model, --batch-size, --out):
  --steps <n>           training steps per run (default ${DIAGNOSTICS_OVERHEAD_DEFAULTS.steps})
  --every <n>           measure every n steps (default ${DIAGNOSTICS_OVERHEAD_DEFAULTS.every})
  --k <n>               mini-batch gradients of GDV / GDE (default ${DIAGNOSTICS_OVERHEAD_DEFAULTS.k})
  --full-subset <n>     examples of the full gradient (default ${DIAGNOSTICS_OVERHEAD_DEFAULTS.fullSubset})
  --warmup <n>          untimed training steps first (default ${DIAGNOSTICS_OVERHEAD_DEFAULTS.warmupSteps})
  --quick               ${DIAGNOSTICS_OVERHEAD_DEFAULTS.quick.model}, ${DIAGNOSTICS_OVERHEAD_DEFAULTS.quick.steps} steps, every ${DIAGNOSTICS_OVERHEAD_DEFAULTS.quick.every}, K ${DIAGNOSTICS_OVERHEAD_DEFAULTS.quick.k}, subset ${DIAGNOSTICS_OVERHEAD_DEFAULTS.quick.fullSubset}; labeled QUICK MODE
  writes diagnostics-overhead-<backend>.json and .md

\`start\`, \`reproduce\`, \`sweep\` and \`run\` have their own options: dropkit-bench <command> --help.
\`schedule\` with no schedule prints the four regimes of the MNIST default.`;

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`--${name}`, text, 'a positive integer');
  }
  return n;
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const lab = await runLabCommand(argv, io);
  if (lab !== undefined) return lab;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n\nRun with --help for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    switch (command) {
      case 'schedule': {
        const specs = rest.length > 0 ? rest : [...DEFAULTS.schedules];
        if (specs.length === 0) {
          throw new InvalidArgumentError('schedule', undefined, 'at least one schedule string');
        }
        const schedules: Schedule[] = specs.map((s) => parseSchedule(s));
        const epochs = positiveInt('epochs', values.epochs, DEFAULTS.epochs);
        const perEpoch = stepsPerEpoch({
          trainSize: positiveInt('train-size', values['train-size'], DEFAULTS.trainSize),
          batchSize: positiveInt('batch-size', values['batch-size'], DEFAULTS.batchSize),
          gradAccumulation: positiveInt('grad-accumulation', values['grad-accumulation'], 1),
          workers: positiveInt('workers', values.workers, 1),
        });
        const length = { epochs, stepsPerEpoch: perEpoch };
        io.out(
          `Dropout rate per epoch: ${epochs} epochs x ${perEpoch} steps = ${epochs * perEpoch} optimizer steps\n`,
        );
        io.out(scheduleTable(schedules, length));
        if (!values['no-plot']) io.out(`\n${schedulePlot(schedules, length)}`);
        return 0;
      }
      case 'ops': {
        if (rest.length > 0) {
          throw new InvalidArgumentError('ops', rest[0], 'options only, no positional arguments');
        }
        const options = parseOpsOptions(values);
        const result = await runOpsCommand(options, `dropkit-bench ${argv.join(' ')}`, io.err);
        io.out(result.markdown);
        io.err(`wrote ${result.jsonPath}\nwrote ${result.markdownPath}`);
        return 0;
      }
      case 'train-step': {
        assertNoPositionals(command, rest);
        const options = parseTrainStepOptions(values);
        const result = await runTrainStepCommand(
          options,
          `dropkit-bench ${argv.join(' ')}`,
          io.err,
        );
        io.out(result.markdown);
        io.err(`wrote ${result.jsonPath}\nwrote ${result.markdownPath}`);
        return 0;
      }
      case 'diagnostics-overhead': {
        assertNoPositionals(command, rest);
        const options = parseDiagnosticsOverheadOptions(values);
        const result = await runDiagnosticsOverheadCommand(
          options,
          `dropkit-bench ${argv.join(' ')}`,
          io.err,
        );
        io.out(result.markdown);
        io.err(`wrote ${result.jsonPath}\nwrote ${result.markdownPath}`);
        return 0;
      }
      default:
        throw new InvalidArgumentError(
          'command',
          command,
          'one of "start", "reproduce", "sweep", "run", "schedule", "ops", "train-step", "diagnostics-overhead", "help"',
        );
    }
  } catch (e) {
    if (e instanceof DropkitError) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    if (e instanceof TensorLeakError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      epochs: { type: 'string' },
      'train-size': { type: 'string' },
      'batch-size': { type: 'string' },
      'grad-accumulation': { type: 'string' },
      workers: { type: 'string' },
      'no-plot': { type: 'boolean' },
      backend: { type: 'string' },
      sizes: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      ops: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      model: { type: 'string' },
      steps: { type: 'string' },
      every: { type: 'string' },
      k: { type: 'string' },
      'full-subset': { type: 'string' },
    },
  });
}
