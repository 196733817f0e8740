import { DropkitError } from '@dropkit/core';
import type { Io } from './main.js';
import { runReproduce } from './reproduceCommand.js';
import { runRun } from './runCommand.js';
import { runStart } from './startCommand.js';
import { runSweep } from './sweepCommand.js';

const COMMANDS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  start: runStart,
  reproduce: runReproduce,
  sweep: runSweep,
  run: runRun,
};

/**
 * Runs the training commands (`start`, `reproduce`, `sweep`, `run`), which parse their own
 * options; returns undefined for any other command.
 */
export async function runLabCommand(argv: readonly string[], io: Io): Promise<number | undefined> {
  const [command, ...rest] = argv;
  const handler = command === undefined ? undefined : COMMANDS[command];
  if (handler === undefined) return undefined;
  try {
    return await handler(rest, io);
  } catch (e) {
    if (e instanceof DropkitError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(e as Error).message}\n\nRun with ${command} --help for usage.`);
      return 2;
    }
    throw e;
  }
}
