import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HostInfo } from './opsReport.js';

/** The fields every benchmark report's JSON (`ops`, `train-step`, `diagnostics-overhead`) starts with. */
export interface ReportHeader<Tool extends string> {
  readonly tool: Tool;
  readonly schemaVersion: 1;
  readonly createdAt: string;
  readonly command: string;
  /** True for `--quick`: a smoke run at tiny sizes (each command's help says which); not benchmark figures. */
  readonly quick: boolean;
  readonly host: HostInfo;
}

/**
 * The header of a benchmark report, stamped now.
 *
 * @param tool - the command, e.g. `dropkit-bench ops`.
 * @param command - the command line as run.
 * @param quick - whether `--quick` was given.
 * @param host - the host and backend the figures come from.
 */
export function reportHeader<Tool extends string>(
  tool: Tool,
  command: string,
  quick: boolean,
  host: HostInfo,
): ReportHeader<Tool> {
  return { tool, schemaVersion: 1, createdAt: new Date().toISOString(), command, quick, host };
}

/**
 * Writes a report's JSON and markdown as `<name>.json` and `<name>.md` into a folder (created).
 *
 * @param outDir - the folder.
 * @param name - the file name without extension, e.g. `train-step-cpu`.
 * @param report - serialized with two-space indentation.
 * @param markdown - the markdown text.
 */
export function writeReport(
  outDir: string,
  name: string,
  report: unknown,
  markdown: string,
): { jsonPath: string; markdownPath: string } {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, `${name}.json`);
  const markdownPath = join(dir, `${name}.md`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdownPath, markdown);
  return { jsonPath, markdownPath };
}
