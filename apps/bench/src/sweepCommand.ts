import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS } from '@dropkit/backends';
import { assertOneOf, DropkitError, InvalidArgumentError } from '@dropkit/core';
import { isRunComplete, runsTable, summarizeRun, writeReport } from '@dropkit/lab';
import { bar, intOption, listOption, numberList } from './labCli.js';
import type { Io } from './main.js';
import { regimeLabel, START_DEFAULTS, type StartOptions, startConfig } from './startCommand.js';

export const SWEEP_DEFAULTS = {
  modes: ['standard', 'early', 'late'],
  rates: [0.1, 0.25],
  cutoffs: [1, 2],
  epochs: 4,
  out: 'bench-results/sweep',
} as const;

export const SWEEP_HELP = `dropkit-bench sweep [options]

A grid over mode x rate x cutoff (plus a no-dropout baseline) on the main job's model and data,
run in parallel worker processes on this machine (each worker is this CLI's \`run\` command on one
cell), merged into one report. Cells already finished in the output folder are not run again, and
interrupted ones resume.

Options:
  --modes <list>     any of standard, early, late, ramp (default ${SWEEP_DEFAULTS.modes.join(',')})
  --rates <list>     dropout rates (default ${SWEEP_DEFAULTS.rates.join(',')})
  --cutoffs <list>   cutoff epochs of early / late / ramp (default ${SWEEP_DEFAULTS.cutoffs.join(',')})
  --workers <n>      worker processes (default: CPU cores, at most the number of cells)
  --epochs, --train-size, --test-size, --batch-size, --hidden, --seed, --backend   as for start
                     (default ${SWEEP_DEFAULTS.epochs} epochs, the rest as start)
  --out <dir>        (default ${SWEEP_DEFAULTS.out}/)
  --quick            tiny sizes, for a smoke run
  --worker-script <file>  the CLI bundle the workers run (default: this one)`;

/** One cell of the grid: its schedule string. */
export function sweepCells(
  modes: readonly string[],
  rates: readonly number[],
  cutoffs: readonly number[],
): string[] {
  const cells = ['none'];
  for (const mode of modes) {
    assertOneOf('--modes', mode, ['standard', 'early', 'late', 'ramp'] as const);
    for (const rate of rates) {
      if (mode === 'standard') cells.push(`standard:${rate}`);
      else for (const c of cutoffs) cells.push(`${mode}:${rate}:cutoff=${c}ep`);
    }
  }
  return cells;
}

interface Worker {
  readonly label: string;
  steps: number;
  total: number;
}

/** Runs `sweep`; returns the exit code. */
export async function runSweep(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      modes: { type: 'string' },
      rates: { type: 'string' },
      cutoffs: { type: 'string' },
      workers: { type: 'string' },
      epochs: { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      'batch-size': { type: 'string' },
      hidden: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean' },
      'worker-script': { type: 'string' },
    },
  });
  if (values.help) {
    io.out(SWEEP_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new InvalidArgumentError(
      'sweep',
      positionals[0],
      'options only, no positional arguments',
    );
  }
  const quick = values.quick === true;
  const d = quick
    ? { ...START_DEFAULTS, ...START_DEFAULTS.quick }
    : { ...START_DEFAULTS, epochs: SWEEP_DEFAULTS.epochs };
  const base: StartOptions = {
    regimes: [],
    trainSize: intOption('train-size', values['train-size'], d.trainSize),
    testSize: intOption('test-size', values['test-size'], d.testSize),
    epochs: intOption('epochs', values.epochs, d.epochs),
    batchSize: intOption('batch-size', values['batch-size'], d.batchSize),
    hidden: listOption(values.hidden, d.hidden.map(String)).map((h, i) =>
      intOption(`hidden[${i}]`, h, 1),
    ),
    seed: intOption('seed', values.seed, 0, 0),
    backend: assertOneOf('--backend', values.backend ?? 'auto', BACKEND_REQUESTS),
    out: values.out ?? SWEEP_DEFAULTS.out,
    fresh: false,
    quick,
  };
  const cells = sweepCells(
    listOption(values.modes, SWEEP_DEFAULTS.modes),
    numberList('rates', values.rates, SWEEP_DEFAULTS.rates),
    numberList('cutoffs', values.cutoffs, SWEEP_DEFAULTS.cutoffs).map((c, i) =>
      intOption(`cutoffs[${i}]`, String(c), 1),
    ),
  );
  const workers = Math.min(
    cells.length,
    intOption('workers', values.workers, Math.max(1, cpus().length)),
  );
  const script = resolve(values['worker-script'] ?? process.argv[1] ?? '');
  const out = base.out;
  mkdirSync(join(out, 'configs'), { recursive: true });
  const jobs = cells.map((cell) => {
    const label = regimeLabel(cell);
    const config = { ...startConfig(base, cell), diagnostics: {} };
    const configPath = join(out, 'configs', `${label}.json`);
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    return { label, configPath, dir: join(out, 'runs', label) };
  });
  if (quick) io.err('QUICK MODE: a smoke run with tiny sizes; the numbers are not results.');
  io.err(`sweep: ${jobs.length} runs on ${workers} worker process${workers === 1 ? '' : 'es'}`);
  const active = new Map<string, Worker>();
  let done = 0;
  const failures: string[] = [];
  const report = () => {
    const parts = [...active.values()].map((w) => `${w.label} ${bar(w.steps, w.total, 10)}`);
    io.err(`[${done}/${jobs.length} done] ${parts.join('  ')}`);
  };
  const queue = jobs.filter((j) => {
    if (isRunComplete(j.dir)) {
      done += 1;
      return false;
    }
    return true;
  });
  const runJob = (job: (typeof jobs)[number]) =>
    new Promise<void>((resolvePromise) => {
      const w: Worker = { label: job.label, steps: 0, total: 0 };
      active.set(job.label, w);
      const child = spawn(
        process.execPath,
        [script, 'run', job.configPath, '--out', job.dir, '--progress-lines'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      let lastReport = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        for (const m of chunk.toString().matchAll(/progress (\d+) (\d+)/g)) {
          w.steps = Number(m[1]);
          w.total = Number(m[2]);
        }
        if (Date.now() - lastReport > 2000) {
          lastReport = Date.now();
          report();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', (code) => {
        active.delete(job.label);
        done += 1;
        if (code !== 0)
          failures.push(
            `${job.label} (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
          );
        report();
        resolvePromise();
      });
    });
  const pool = Array.from({ length: workers }, async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) await runJob(job);
  });
  await Promise.all(pool);
  if (failures.length > 0) {
    throw new DropkitError(`sweep: ${failures.length} run(s) failed:\n  ${failures.join('\n  ')}`);
  }
  const dirs = jobs.map((j) => j.dir);
  const files = await writeReport(dirs, out, {
    title: `dropkit sweep: mode x rate x cutoff${quick ? ' (QUICK MODE)' : ''}`,
  });
  io.out(runsTable(dirs.map((dir) => summarizeRun(dir))));
  io.out(`\nreport: ${files.html}, ${files.markdown}`);
  return 0;
}
