import { InvalidArgumentError } from '@dropkit/core';
import type { ExperimentConfig, ProgressEvent, ResolvedConfig, RunResult } from '@dropkit/lab';
import { run } from '@dropkit/lab';
import type { Io } from './main.js';

/** A positive integer option, or the fallback when absent. */
export function intOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min = 1,
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new InvalidArgumentError(
      `--${name}`,
      text,
      min === 0 ? 'an integer >= 0' : 'a positive integer',
    );
  }
  return n;
}

/** A comma-separated list option. */
export function listOption(text: string | undefined, fallback: readonly string[]): string[] {
  if (text === undefined) return [...fallback];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items;
}

/** A comma-separated list of numbers. */
export function numberList(
  name: string,
  text: string | undefined,
  fallback: readonly number[],
): number[] {
  return listOption(text, fallback.map(String)).map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n))
      throw new InvalidArgumentError(`--${name}`, text, 'comma-separated numbers');
    return n;
  });
}

/** A progress bar line: `[#####.....] 312/780`. */
export function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * Reports a run's progress on stderr: a bar redrawn in place on a terminal, one line per epoch
 * otherwise (logs, tests).
 */
export function progressReporter(
  io: Io,
  label: string,
  tty = process.stderr.isTTY === true,
): (e: ProgressEvent) => void {
  let lastDraw = 0;
  return (e) => {
    if (e.type === 'start') {
      io.err(
        `${label}: ${e.resumed ? `resuming at step ${e.step}` : 'starting'} (${e.totalSteps} steps, ${e.backend}, data: ${e.source})`,
      );
    } else if (e.type === 'step' && tty) {
      const now = Date.now();
      if (now - lastDraw > 100 || e.step + 1 === e.totalSteps) {
        lastDraw = now;
        process.stderr.write(
          `\r${label} ${bar(e.step + 1, e.totalSteps)} loss ${e.loss.toFixed(4)}  `,
        );
      }
    } else if (e.type === 'epoch') {
      const r = e.record;
      const acc =
        r.testAccuracy === undefined ? '' : ` test acc ${(r.testAccuracy * 100).toFixed(2)}%`;
      const line = `${label} epoch ${r.epoch + 1}/${e.epochs}: train loss ${r.trainLoss.toFixed(4)} test loss ${r.testLoss.toFixed(4)}${acc}`;
      if (tty) process.stderr.write(`\r${line}${' '.repeat(20)}\n`);
      else io.err(line);
    }
  };
}

/**
 * Runs one experiment with Ctrl-C wired to a clean stop (the step finishes, a checkpoint is
 * written); a second Ctrl-C is left to Node's default (exit at once; the checkpoint still resumes).
 */
export async function runWithInterrupt(
  config: ExperimentConfig | ResolvedConfig,
  outDir: string,
  onProgress: (e: ProgressEvent) => void,
  fresh = false,
): Promise<RunResult> {
  const controller = new AbortController();
  const onSigint = () => {
    controller.abort();
    process.off('SIGINT', onSigint);
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(config, { outDir, onProgress, signal: controller.signal, resume: !fresh });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Mean and sample standard deviation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, std };
}

/** `mean ± std` with a sensible number of digits. */
export function formatMeanStd(values: readonly number[], digits = 4): string {
  const { mean, std } = meanStd(values);
  return `${Number(mean.toPrecision(digits))} ± ${Number(std.toPrecision(2))}`;
}
