import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles test/fixtures/child.ts (sources through the @dropkit/source condition) into one file. */
export async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@dropkit/source'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
    external: ['webgpu'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outfile;
}

/** What a child run did. */
export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last step the child reported before it ended. */
  readonly lastStep: number;
}

/**
 * Runs the bundled child on a config; when `killAt` is given, sends `signal` once the child
 * reports that step.
 */
export function runChild(
  script: string,
  config: unknown,
  outDir: string,
  kill?: { readonly atStep: number; readonly signal: NodeJS.Signals },
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(config), outDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastStep = -1;
    let sent = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const m of chunk.toString().matchAll(/step (\d+)/g)) lastStep = Number(m[1]);
      if (kill && !sent && lastStep >= kill.atStep) {
        sent = true;
        child.kill(kill.signal);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, lastStep }));
  });
}
