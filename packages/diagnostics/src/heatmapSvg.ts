import { assertFinite, assertInteger, InvalidArgumentError } from '@dropkit/core';

/** Options of {@link heatmapSvg}. */
export interface HeatmapSvgOptions {
  /** The side of one cell in pixels, an integer >= 1. Default 8. */
  readonly cellSize?: number;
  /**
   * The row/column order, a permutation of 0..n-1 (e.g. a condensation report's `order`, which
   * makes clusters show as blocks). Default: the matrix order.
   */
  readonly order?: readonly number[];
  /** A title, written as the SVG's `<title>` (escaped). */
  readonly title?: string;
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0');

/** A diverging color: blue at -1, white at 0, red at +1 (values clipped to [-1, 1]). */
export function divergingColor(value: number): string {
  const v = Math.max(-1, Math.min(1, value));
  const fade = 255 * (1 - Math.abs(v));
  return v >= 0 ? `#ff${hex(fade)}${hex(fade)}` : `#${hex(fade)}${hex(fade)}ff`;
}

/**
 * Renders a matrix of values in [-1, 1] (a cosine-similarity matrix) as a heat map, an SVG string
 * with no dependency: one `<rect>` per cell, blue for -1, white for 0, red for +1. For the
 * condensation plots of Zhang & Xu, pass a condensation report's `matrix` and `order`.
 *
 * @param matrix - an n x n matrix of finite numbers.
 * @param options - {@link HeatmapSvgOptions}.
 * @returns the SVG document as a string.
 * @throws InvalidArgumentError for a matrix that is not square or finite, or an order that is not
 *   a permutation.
 * @example
 * ```ts
 * import { heatmapSvg } from '@dropkit/diagnostics';
 * const svg = heatmapSvg([[1, -1], [-1, 1]], { cellSize: 10 });
 * console.log(svg.startsWith('<svg'), svg.match(/<rect /g)?.length, svg.includes('fill="#0000ff"')); // true 4 true
 * ```
 */
export function heatmapSvg(
  matrix: readonly (readonly number[])[],
  options: HeatmapSvgOptions = {},
): string {
  const cell = assertInteger('cellSize', options.cellSize ?? 8, { min: 1 });
  const n = Array.isArray(matrix) ? matrix.length : 0;
  if (n === 0 || !matrix.every((row) => Array.isArray(row) && row.length === n)) {
    throw new InvalidArgumentError('matrix', `${n} rows`, 'a non-empty square n x n matrix');
  }
  const order = options.order ?? Array.from({ length: n }, (_, i) => i);
  const seen = new Set(order);
  if (
    order.length !== n ||
    seen.size !== n ||
    !order.every((i) => Number.isInteger(i) && i >= 0 && i < n)
  ) {
    throw new InvalidArgumentError('order', order, `a permutation of 0..${n - 1}`);
  }
  const size = n * cell;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">`,
  ];
  if (options.title !== undefined) parts.push(`<title>${escapeXml(String(options.title))}</title>`);
  order.forEach((i, r) => {
    order.forEach((j, c) => {
      const v = assertFinite(`matrix[${i}][${j}]`, (matrix[i] as readonly number[])[j]);
      parts.push(
        `<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}" fill="${divergingColor(v)}"/>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
