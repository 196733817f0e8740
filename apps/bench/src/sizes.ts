import { InvalidArgumentError } from '@dropkit/core';

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 * 1024 };

/** The largest element count `--sizes` accepts: 256M float32 is 1 GiB per tensor. */
export const MAX_SIZE = 256 * 1024 * 1024;

/**
 * Parses a comma-separated list of element counts with optional binary K / M suffixes
 * (`64K` = 65,536; `1M` = 1,048,576; `1.5M` allowed when it is a whole count).
 *
 * @param option - the option name for error messages, e.g. `--sizes`.
 * @param text - the option's value.
 * @throws InvalidArgumentError naming the option for an empty, zero, fractional, negative or
 *   too large entry.
 */
export function parseSizes(option: string, text: string): number[] {
  const allowed = `comma-separated element counts from 1 to ${formatSize(MAX_SIZE)}, with an optional K (1024) or M (1048576) suffix, e.g. 1M,4M`;
  const parts = text.split(',').map((s) => s.trim());
  const sizes: number[] = [];
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(part);
    const n = m ? Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? Number.NaN) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SIZE) {
      throw new InvalidArgumentError(option, text, allowed);
    }
    if (!sizes.includes(n)) sizes.push(n);
  }
  return sizes;
}

/**
 * An element count as the CLI writes it: `64K`, `1M`, `4M` when exact, else the plain number.
 *
 * @param n - an element count.
 */
export function formatSize(n: number): string {
  const MiB = 1024 * 1024;
  if (n >= MiB && n % MiB === 0) return `${n / MiB}M`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  return String(n);
}
