import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** One fenced code block found after an `@example` tag. */
export interface DocExample {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** Collects every fenced `@example` block from the TypeScript files under `dir`. */
export function collectExamples(dir: string): DocExample[] {
  const out: DocExample[] = [];
  for (const file of listTs(dir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example\b/.test(lines[i] as string)) continue;
      let j = i + 1;
      while (j < lines.length && !/^\s*\*\s*```/.test(lines[j] as string)) {
        if (/^\s*\*\s*@\w+/.test(lines[j] as string) || /\*\//.test(lines[j] as string)) break;
        j++;
      }
      if (j >= lines.length || !/^\s*\*\s*```/.test(lines[j] as string)) {
        throw new Error(`${file}:${i + 1}: @example without a fenced code block`);
      }
      const body: string[] = [];
      let k = j + 1;
      for (; k < lines.length && !/^\s*\*\s*```/.test(lines[k] as string); k++) {
        body.push((lines[k] as string).replace(/^\s*\* ?/, ''));
      }
      out.push({ file, line: j + 2, code: body.join('\n') });
      i = k;
    }
  }
  return out;
}

/** Collects every fenced ```ts block of a markdown file. */
export function collectMarkdownExamples(file: string): DocExample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] as string)) continue;
    const start = i + 1;
    let k = start;
    while (k < lines.length && !/^```\s*$/.test(lines[k] as string)) k++;
    out.push({ file, line: start + 1, code: lines.slice(start, k).join('\n') });
    i = k;
  }
  return out;
}

function listTs(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const IMPORT =
  /^\s*import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+['"]([^'"]+)['"];?\s*$/;
// A side-effect import (`import 'x';`): the test has loaded what it needs already.
const BARE_IMPORT = /^\s*import\s+['"][^'"]+['"];?\s*$/;
const LOG_WITH_EXPECTATION = /^(\s*)console\.log\((.*)\);\s*\/\/\s?(.*)$/;

/**
 * Turns an example into the body of an async function: imports become look-ups in the given
 * module table, and `console.log(x); // text` lines become checks that the printed text is `text`.
 */
async function compileExample(code: string, modules: Readonly<Record<string, unknown>>) {
  const lines = code.split('\n').map((line) => {
    if (BARE_IMPORT.test(line)) return '';
    const imp = IMPORT.exec(line);
    if (imp) {
      const [, typeOnly, what, from] = imp as unknown as [
        string,
        string | undefined,
        string,
        string,
      ];
      if (typeOnly) return '';
      if (!(from in modules))
        throw new Error(`example imports "${from}", which the test did not provide`);
      const source = `__modules[${JSON.stringify(from)}]`;
      if (what.startsWith('{')) {
        const names = what
          .slice(1, -1)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && !s.startsWith('type '))
          .map((s) => s.replace(/\s+as\s+/, ': '));
        return `const { ${names.join(', ')} } = ${source};`;
      }
      return `const ${what.replace(/^\*\s+as\s+/, '')} = ${source};`;
    }
    const log = LOG_WITH_EXPECTATION.exec(line);
    if (log) {
      const [, indent, args, expected] = log as unknown as [string, string, string, string];
      return `${indent}__check(${JSON.stringify(expected.trim())}, ${args});`;
    }
    return line;
  });
  const { code: js } = await transform(lines.join('\n'), { loader: 'ts', target: 'es2022' });
  return js;
}

/**
 * Defines one test per `@example` under `srcDir`; each runs with `modules` standing in for its
 * imports, and every `console.log(...); // expected` line must print exactly `expected`.
 */
export function describeExamples(
  srcDir: URL | string,
  modules: Readonly<Record<string, unknown>>,
): void {
  const dir = typeof srcDir === 'string' ? srcDir : fileURLToPath(srcDir);
  describeExampleList('doc examples', dir, collectExamples(dir), modules);
}

/** Like {@link describeExamples}, for the ```ts blocks of markdown files (guides, READMEs). */
export function describeMarkdownExamples(
  files: readonly string[],
  baseDir: string,
  modules: Readonly<Record<string, unknown>>,
): void {
  describeExampleList(
    'markdown examples',
    baseDir,
    files.flatMap(collectMarkdownExamples),
    modules,
  );
}

function describeExampleList(
  title: string,
  dir: string,
  examples: readonly DocExample[],
  modules: Readonly<Record<string, unknown>>,
): void {
  describe(title, () => {
    it('finds at least one example', () => {
      expect(examples.length).toBeGreaterThan(0);
    });
    for (const ex of examples) {
      const where = `${relative(dir, ex.file)}:${ex.line}`;
      it(where, async () => {
        const js = await compileExample(ex.code, modules);
        const printed: string[] = [];
        const fakeConsole = { ...console, log: (...a: unknown[]) => printed.push(format(...a)) };
        const check = (expected: string, ...args: unknown[]) => {
          const text = format(...args);
          printed.push(text);
          expect(text, `${where} printed`).toBe(expected);
        };
        const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
          ...args: string[]
        ) => (...a: unknown[]) => Promise<void>;
        const fn = new AsyncFunction('__modules', '__check', 'console', js);
        await fn(modules, check, fakeConsole);
      });
    }
  });
}
