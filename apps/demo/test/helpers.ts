import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoData } from '../src/data/index.ts';
import { loadDemoData } from '../src/data/index.ts';
import type { DatasetName } from '../src/training/index.ts';

/** The subset script of this app. */
export const SUBSET_SCRIPT = fileURLToPath(
  new URL('../scripts/make-mnist-subset.mjs', import.meta.url),
);

/** Runs the subset script with `args`; returns its standard output. */
export function runSubsetScript(args: readonly string[]): string {
  return execFileSync(process.execPath, [SUBSET_SCRIPT, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

let mnistFile: string | undefined;

/** The default subset (4,000 + 1,000), written once per test file into a temporary folder. */
export function mnistSubsetPath(): string {
  if (mnistFile === undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'demo-mnist-')), 'mnist-subset.bin');
    runSubsetScript(['--out', file]);
    mnistFile = file;
  }
  return mnistFile;
}

/** Loads a demo data set in Node, MNIST from the script's output. */
export function loadData(name: DatasetName): Promise<DemoData> {
  return loadDemoData(name, {
    mnistBytes: async () => readFileSync(mnistSubsetPath()),
    mnistSource: 'mnist-subset.bin',
  });
}
