import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const site = fileURLToPath(new URL('../dist', import.meta.url));

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return htmlFiles(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

describe('the docs site (built by the docs task)', () => {
  it('has a page for every public package and every guide', () => {
    expect(existsSync(join(site, 'index.html'))).toBe(true);
    const modules = readdirSync(join(site, 'modules')).join(' ');
    expect(modules).toContain('_dropkit_core');
    expect(modules).toContain('_dropkit_schedules');
    const titles = readdirSync(join(site, 'documents')).map((f) =>
      /<title>([^<|]*)/.exec(readFileSync(join(site, 'documents', f), 'utf8'))?.[1]?.trim(),
    );
    expect(titles).toContain('Getting started');
    expect(titles).toContain('Choosing early or late dropout');
    expect(titles).toContain('The RNG and reproducibility contract');
    expect(titles).toContain('Dropout ops');
    expect(titles).toContain('Backends and their performance');
    expect(titles).toContain('Reading the diagnostics');
    expect(modules).toContain('_dropkit_ops');
  });

  it('has no broken relative link or asset', () => {
    const broken: string[] = [];
    const pages = htmlFiles(site);
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      for (const m of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
        const target = m[1] as string;
        if (/^(?:[a-z]+:|#|\/\/)/i.test(target)) continue;
        const path = decodeURIComponent(target.split('#')[0]?.split('?')[0] ?? '');
        if (path === '') continue;
        const file = resolve(dirname(page), path);
        if (!existsSync(file)) broken.push(`${relative(site, page)} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('includes the browser demo, linked from the guides and the navigation', () => {
    const demo = join(site, 'demo', 'index.html');
    expect(existsSync(demo)).toBe(true);
    expect(readFileSync(demo, 'utf8')).toMatch(/<script[^>]+src="\.\/assets\//);
    const guide = readFileSync(join(site, 'documents', 'Reading_the_diagnostics.html'), 'utf8');
    expect(guide).toContain('href="../demo/index.html"');
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('href="demo/index.html"');
    // A `site:` link left unrewritten would slip past the relative-link check above.
    const leftovers = htmlFiles(site).filter((p) =>
      readFileSync(p, 'utf8').includes('href="site:'),
    );
    expect(leftovers.map((p) => relative(site, p))).toEqual([]);
  });
});
