import { assertInteger, assertRate, InvalidArgumentError } from '@dropkit/core';

/**
 * Per-block drop-path (stochastic depth) rates: linspace(0, rate, depth), as timm and the
 * official early/late code compute them, so the first block is never dropped and the last is
 * dropped at `rate`. Given stage depths instead of one depth, the same ramp runs over all blocks
 * and comes back split per stage (ConvNeXt / Swin style).
 *
 * @param rate - the drop-path rate of the deepest block, in [0, 1).
 * @param depth - the number of blocks, or the number of blocks of each stage.
 * @returns one rate per block, or one array per stage.
 * @example
 * ```ts
 * import { dropPathRates } from '@dropkit/schedules';
 * console.log(dropPathRates(0.2, 3)); // [ 0, 0.1, 0.2 ]
 * console.log(dropPathRates(0.4, [1, 2])); // [ [ 0 ], [ 0.2, 0.4 ] ]
 * ```
 */
export function dropPathRates(rate: number, depth: number): number[];
export function dropPathRates(rate: number, depth: readonly number[]): number[][];
export function dropPathRates(
  rate: number,
  depth: number | readonly number[],
): number[] | number[][] {
  assertRate('rate', rate);
  if (typeof depth === 'number') return linspace(rate, assertInteger('depth', depth, { min: 1 }));
  if (!Array.isArray(depth) || depth.length === 0) {
    throw new InvalidArgumentError(
      'depth',
      depth,
      'a positive integer or a non-empty array of them',
    );
  }
  const stages = depth.map((d, i) => assertInteger(`depth[${i}]`, d, { min: 1 }));
  const all = linspace(
    rate,
    stages.reduce((a, b) => a + b, 0),
  );
  const out: number[][] = [];
  let at = 0;
  for (const d of stages) {
    out.push(all.slice(at, at + d));
    at += d;
  }
  return out;
}

function linspace(stop: number, num: number): number[] {
  const out = new Array<number>(num);
  const step = num > 1 ? stop / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = i * step;
  if (num > 1) out[num - 1] = stop;
  return out;
}
