import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('browser bundle', () => {
  let bundle = '';

  it('bundles for the browser (esbuild, platform browser) with no node: import left in', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      conditions: ['@dropkit/source'],
    });
    expect(result.errors).toEqual([]);
    bundle = result.outputFiles[0]?.text ?? '';
    expect(bundle.length).toBeGreaterThan(0);
    expect(bundle).not.toMatch(/\bfrom\s*["']node:/);
    expect(bundle).not.toMatch(/\bimport\s*\(\s*["']node:/);
    expect(bundle).not.toMatch(/\brequire\s*\(\s*["']node:/);
  }, 60_000);

  it('runs without Node globals: gzip through DecompressionStream, iris, clear errors for files', () => {
    const file = join(tmp.dir, 'datasets.browser.mjs');
    writeFileSync(file, bundle);
    const gz = gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 4, 5, 6]));
    // The module runs with `process` hidden, as in a page: the package must take its browser path.
    const runner = `
      const out = process.stdout;
      globalThis.process = undefined;
      const m = await import(${JSON.stringify(new URL(`file://${file}`).href)});
      const lines = [];
      const idx = await m.readIdx(Uint8Array.from(atob(${JSON.stringify(Buffer.from(gz).toString('base64'))}), (c) => c.charCodeAt(0)));
      lines.push(Array.from(idx.data).join(','));
      lines.push(m.loadIris().size);
      lines.push(m.twoSpirals({ n: 10, seed: 1 }).size);
      for (const f of [() => m.readIdx('/data/train.idx'), () => m.loadMnist()]) {
        try { await f(); lines.push('no error'); } catch (e) { lines.push(e.message); }
      }
      out.write(lines.join('\\n') + '\\n');`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', runner], {
      encoding: 'utf8',
      cwd: tmp.dir,
    });
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['4,5,6', '150', '10']);
    expect(lines[3]).toMatch(/^Reading the file \/data\/train\.idx needs Node .*pass its bytes/);
    expect(lines[4]).toMatch(/^loadMnist needs Node .*readIdxDataset/);
  });
});
