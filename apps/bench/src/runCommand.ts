import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@dropkit/core';
import { loadConfig, runsTable, summarizeRun } from '@dropkit/lab';
import { progressReporter, runWithInterrupt } from './labCli.js';
import type { Io } from './main.js';

export const RUN_HELP = `dropkit-bench run <config.json> --out <dir> [options]

Runs one experiment of @dropkit/lab from a JSON config (model, dataset, optimizer, schedule,
diagnostics, backend; see the lab's README) into a run directory: log.jsonl, checkpoint.bin. A run
directory that holds a checkpoint of the same config is resumed; Ctrl-C stops after the step in
flight with a checkpoint.

Options:
  --out <dir>     the run directory (required)
  --fresh         start over instead of resuming
  --progress-lines  print "progress <step> <total>" lines on stdout (what sweep workers do)`;

/** Runs `run`; returns the exit code. */
export async function runRun(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
      fresh: { type: 'boolean' },
      'progress-lines': { type: 'boolean' },
    },
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new InvalidArgumentError('config', positionals, 'exactly one JSON config file');
  }
  if (values.out === undefined) throw new InvalidArgumentError('--out', undefined, 'a directory');
  const config = await loadConfig(file);
  const lines = values['progress-lines'] === true;
  const bar = progressReporter(io, config.name);
  const result = await runWithInterrupt(
    config,
    values.out,
    (e) => {
      if (lines && e.type === 'step') io.out(`progress ${e.step + 1} ${e.totalSteps}`);
      if (!lines) bar(e);
    },
    values.fresh === true,
  );
  if (result.status === 'interrupted') {
    io.err(`interrupted at step ${result.step}; run the same command again to continue.`);
    return 130;
  }
  if (!lines) io.out(runsTable([summarizeRun(values.out)]));
  return 0;
}
