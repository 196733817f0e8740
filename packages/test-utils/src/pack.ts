import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

interface Manifest {
  name: string;
  packageManager?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    try {
      readFileSync(join(dir, 'pnpm-workspace.yaml'));
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
      dir = up;
    }
  }
}

function workspacePackages(root: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      try {
        map.set(readManifest(dir).name, dir);
      } catch {
        // Not a package folder.
      }
    }
  }
  return map;
}

/** What {@link packAndInstall} did, for the test to inspect. */
export interface PackResult {
  /** The empty project the tarballs were installed into. */
  readonly projectDir: string;
  /** The tarball of the package itself. */
  readonly tarball: string;
  /** Runs an ES module source text inside that project with Node and returns its stdout. */
  readonly runModule: (source: string) => string;
  /** Type-checks a TypeScript source text there, under the given module resolution. */
  readonly typecheck: (source: string, resolution: 'node16' | 'bundler') => void;
  /** Deletes the project. */
  readonly dispose: () => void;
}

/**
 * Packs a workspace package and the workspace packages it depends on with `pnpm pack` (which
 * rewrites `workspace:` ranges), installs the tarballs plus the given peers from the registry
 * into an empty temporary project with npm, and returns helpers to import and type-check it there.
 */
export function packAndInstall(packageDir: string, peers: readonly string[] = []): PackResult {
  const root = findRoot(resolve(packageDir));
  const pnpmSpec = readManifest(root).packageManager ?? 'pnpm@10';
  const all = workspacePackages(root);
  const work = mkdtempSync(join(tmpdir(), 'dropkit-pack-'));
  const tarDir = join(work, 'tarballs');
  const project = join(work, 'project');
  const self = readManifest(packageDir).name;
  const queue = [self];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const dir = all.get(name);
    if (!dir) throw new Error(`workspace package ${name} not found`);
    const m = readManifest(dir);
    for (const [dep, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) {
      if (range.startsWith('workspace:')) queue.push(dep);
    }
    execFileSync('npx', ['-y', pnpmSpec, 'pack', '--pack-destination', tarDir], {
      cwd: dir,
      stdio: 'pipe',
    });
  }
  const tarballs = readdirSync(tarDir).map((f) => join(tarDir, f));
  const selfFile = `${self.replace(/^@/, '').replace('/', '-')}-`;
  const tarball = tarballs.find((t) => t.slice(tarDir.length + 1).startsWith(selfFile));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${self} in ${tarDir}`);
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'dropkit-pack-smoke', private: true, type: 'module' }),
  );
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...peers],
    { cwd: project, stdio: 'pipe' },
  );
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  return {
    projectDir: project,
    tarball,
    runModule(source) {
      writeFileSync(join(project, 'smoke.mjs'), source);
      return execFileSync(process.execPath, ['smoke.mjs'], { cwd: project, encoding: 'utf8' });
    },
    typecheck(source, resolution) {
      writeFileSync(join(project, 'smoke.ts'), source);
      const module = resolution === 'node16' ? 'node16' : 'esnext';
      try {
        execFileSync(
          process.execPath,
          [
            tsc,
            '--noEmit',
            '--strict',
            '--module',
            module,
            '--moduleResolution',
            resolution,
            '--target',
            'es2022',
            'smoke.ts',
          ],
          { cwd: project, encoding: 'utf8', stdio: 'pipe' },
        );
      } catch (err) {
        const out = (err as { stdout?: string }).stdout ?? '';
        throw new Error(`tsc (${resolution}) rejected the consumer:\n${out}`);
      }
    },
    dispose() {
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * Runs publint in strict mode on the packed tarball of a package and returns its messages formatted, so a
 * test can assert the list is empty (warnings count as errors in strict mode).
 */
export async function publintMessages(packageDir: string, tarball: string): Promise<string[]> {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const bytes = readFileSync(tarball);
  const { messages } = await publint({
    strict: true,
    level: 'suggestion',
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
  });
  return messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
}
