import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, keep);
    return keep(name) ? [p] : [];
  });
}

/** Files whose examples cannot run in CI, each with the reason. */
const NOT_RUN: Record<string, string> = {
  'packages/backend-node-gpu/README.md':
    'needs libtensorflow with CUDA 11.2 and cuDNN 8.1 on an NVIDIA GPU, which CI has not and cannot download; the package tests its error path instead',
};

const workspaces = ['packages', 'apps'].flatMap((d) =>
  readdirSync(join(root, d)).map((name) => join(root, d, name)),
);

describe('every documented TypeScript example is executed by a test', () => {
  it('each markdown file with a ```ts block is run by some examples suite', () => {
    const markdown = [
      join(root, 'README.md'),
      ...files(join(root, 'docs/guides'), (n) => n.endsWith('.md')),
      ...workspaces.map((w) => join(w, 'README.md')).filter(existsSync),
    ].filter((f) => /^```ts\s*$/m.test(readFileSync(f, 'utf8')));
    expect(markdown.length).toBeGreaterThan(10);

    // A README counts as run when its own package's test suite passes it to
    // describeMarkdownExamples; the docs suite lists its files by path from the root.
    const docsSuite = readFileSync(new URL('./examples.test.ts', import.meta.url), 'utf8');
    const notRun = markdown.filter((file) => {
      const rel = relative(root, file);
      if (rel in NOT_RUN) return false;
      if (docsSuite.includes(`'${rel}'`)) return false;
      const pkg = file.slice(0, -'README.md'.length);
      const suites = files(join(pkg, 'test'), (n) => n.endsWith('.ts')).map((t) =>
        readFileSync(t, 'utf8'),
      );
      return !suites.some((s) => s.includes('describeMarkdownExamples') && s.includes('README.md'));
    });
    expect(notRun.map((f) => relative(root, f))).toEqual([]);
    const stale = Object.keys(NOT_RUN).filter((f) => !markdown.includes(join(root, f)));
    expect(stale, 'exemptions for files without a ```ts block').toEqual([]);
  });
});
