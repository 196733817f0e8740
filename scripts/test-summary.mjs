// Sums Vitest's per-package "Tests  N passed | M failed | K skipped (T)" lines from a turbo log
// (stdin) into one closing line, "N passed, M failed, K skipped", the form CI reads.
import { readFileSync } from 'node:fs';

const text = readFileSync(0, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
let suites = 0;
for (const line of text.split('\n')) {
  const m = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!m) continue;
  suites++;
  for (const part of m[1].split('|')) {
    const p = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part);
    if (p && p[2] in totals) totals[p[2]] += Number(p[1]);
  }
}
if (suites === 0) {
  console.error('test-summary: no Vitest summary found in the log');
  process.exit(1);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
