// Finishes the site after typedoc: copies the built browser demo (apps/demo/dist, built by turbo
// before this task because the docs package depends on @dropkit/demo) into it as `demo/`, and
// rewrites `site:<path>` links (typedoc leaves links with a scheme alone, and a relative link to
// the demo would name a file typedoc cannot see) into paths relative to each page, so the site
// works from any folder it is published in.
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const site = fileURLToPath(new URL('../dist/', import.meta.url));
const from = fileURLToPath(new URL('../../apps/demo/dist/', import.meta.url));

if (!existsSync(`${from}index.html`)) {
  console.error(
    `docs: the demo is not built (no ${from}index.html). Run \`pnpm --filter @dropkit/demo build\`, or \`pnpm docs\`, which builds it first.`,
  );
  process.exit(1);
}
const demo = join(site, 'demo');
rmSync(demo, { recursive: true, force: true });
cpSync(from, demo, { recursive: true });

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (p === demo) return [];
    if (statSync(p).isDirectory()) return pages(p);
    return name.endsWith('.html') ? [p] : [];
  });
}

let rewritten = 0;
for (const page of pages(site)) {
  const html = readFileSync(page, 'utf8');
  const out = html.replace(/href="site:([^"]*)"/g, (_, path) => {
    rewritten++;
    const rel = relative(dirname(page), join(site, path)).split('\\').join('/');
    return `href="${rel || './'}"`;
  });
  if (out !== html) writeFileSync(page, out);
}
console.log(`docs: demo copied to ${demo}; ${rewritten} site: links made relative`);
