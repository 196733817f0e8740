// @dropkit/backend-wasm's dropout helper threads in a real browser: a small page (test/fixtures/
// kernel-threads, built here with Vite) served cross-origin isolated, so that SharedArrayBuffer
// exists, run in Debian's Chromium. It checks the helpers on the page's main thread, where
// Atomics.wait is not allowed, and in a module worker, where it is; with isolation tfjs also runs
// its threaded build, so dropkit's kernels run on a shared tfjs heap there.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build, defaultClientConditions } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadsCheck } from './fixtures/kernel-threads/check.ts';
import { type StaticServer, startStaticServer } from './staticServer.ts';

const CHROMIUM = '/usr/bin/chromium';
const FIXTURE = fileURLToPath(new URL('./fixtures/kernel-threads/', import.meta.url));

let out: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests drive Debian's Chromium. Run \`bash scripts/install-chromium.sh\` (as root or with sudo) from the repository root.`,
    );
  }
  out = await mkdtemp(join(tmpdir(), 'dropkit-kernel-threads-'));
  await build({
    root: FIXTURE,
    base: './',
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@dropkit/source', ...defaultClientConditions] },
    worker: { format: 'es' },
    build: { outDir: out, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  });
  server = await startStaticServer({ root: out, basePath: '/threads/', crossOriginIsolated: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('wasm dropout helper threads in Chromium, cross-origin isolated', () => {
  it('start on the main thread and in a worker, do chunks, and match the cpu reference bit for bit', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(server.url, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(() => window.__threadsCheck !== undefined, undefined, {
      timeout: 150_000,
    });
    const check = (await page.evaluate(() => window.__threadsCheck)) as {
      results?: ThreadsCheck[];
      error?: string;
    };
    await page.close();
    expect(check.error).toBeUndefined();
    const results = check.results ?? [];
    expect(results.map((r) => r.context)).toEqual(['worker', 'main thread']);
    for (const r of results) {
      console.log(
        `[kernel threads] ${r.context}: tfjs threaded build ${r.tfjsThreads}, ${r.kernelThreads} helper, ${r.calls} calls of 2^20 + 3 elements, chunks: ${r.helperChunks} by the helper, ${r.callerChunks} by the calling thread`,
      );
      expect(r.crossOriginIsolated, r.context).toBe(true);
      expect(r.kernelThreads, `${r.context}: ${r.note}`).toBe(1);
      expect(r.mismatches, r.context).toBe(0);
      expect(r.helperChunks, r.context).toBeGreaterThan(0);
      expect(r.callerChunks, r.context).toBeGreaterThan(0);
      expect(r.numTensorsAfter, r.context).toBe(r.numTensorsBefore);
    }
    expect(problems).toEqual([]);
  }, 200_000);
});
