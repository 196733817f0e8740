import { assertRate } from '@dropkit/core';
import { dropPathRates } from '@dropkit/schedules';
import type { layers } from '@tensorflow/tfjs-layers';
import { type DropoutSite, isDropoutSite, isDropoutSiteContainer } from './dropoutSite.js';

/** What `applyRates` and `findDropoutSites` walk: a model, a layer, or a list of them. */
export type LayerTree = layers.Layer | readonly layers.Layer[];

/** The rates to set; a site kind left out keeps its current rates. */
export interface ApplyRatesOptions {
  /** The rate of every `dropout` site, in [0, 1). */
  readonly dropout?: number;
  /** The drop-path rate of the deepest `dropPath` site, in [0, 1); see `dropPathRates`. */
  readonly dropPath?: number;
}

/** The rates `applyRates` set. */
export interface AppliedRates {
  /** The rate given to every `dropout` site, when `dropout` was given. */
  readonly dropout?: number;
  /** The rate given to each `dropPath` site, in model layer order, when `dropPath` was given. */
  readonly dropPath?: number[];
}

/** The sub-layers a layer exposes: its dropout sites if it says, else a model's or wrapper's. */
function children(layer: layers.Layer): readonly layers.Layer[] {
  if (isDropoutSiteContainer(layer)) return layer.dropoutSites();
  const l = layer as unknown as {
    layers?: unknown;
    layer?: unknown;
    forwardLayer?: unknown;
    backwardLayer?: unknown;
  };
  if (Array.isArray(l.layers)) return l.layers as layers.Layer[];
  // tfjs-layers' wrappers: TimeDistributed holds `layer`, Bidirectional two directions.
  return [l.layer, l.forwardLayer, l.backwardLayer].filter(
    (c): c is layers.Layer => typeof c === 'object' && c !== null,
  );
}

/**
 * Every dropout site of a model in layer order, depth first: layers of nested models, the
 * layers tfjs-layers wrappers hold, and what custom layers list through `dropoutSites()`
 * (`DropoutSiteContainer`). A layer reached twice (shared) is listed once.
 *
 * @param model - a model, a layer or a list of them.
 * @returns the dropout sites.
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { dropout, dropPath, findDropoutSites } from '@dropkit/layers';
 * const model = tfl.sequential({
 *   layers: [tfl.layers.dense({ units: 4, inputShape: [4] }), dropout({ rate: 0.1 }), dropPath({ rate: 0 })],
 * });
 * console.log(findDropoutSites(model).map((s) => s.dropoutSite)); // [ 'dropout', 'dropPath' ]
 * ```
 */
export function findDropoutSites(model: LayerTree): (layers.Layer & DropoutSite)[] {
  const found: (layers.Layer & DropoutSite)[] = [];
  const seen = new Set<unknown>();
  const visit = (layer: layers.Layer) => {
    if (seen.has(layer)) return;
    seen.add(layer);
    if (isDropoutSite(layer)) found.push(layer);
    for (const child of children(layer)) visit(child);
  };
  const roots: readonly layers.Layer[] = Array.isArray(model)
    ? (model as readonly layers.Layer[])
    : [model as layers.Layer];
  for (const root of roots) visit(root);
  return found;
}

/**
 * Sets the rates of a model's dropout layers, as the official early / late dropout code does
 * before every optimizer step: every `dropout` site gets `dropout`; the `dropPath` sites, in
 * model layer order, get `dropPathRates(dropPath, depth)` = linspace(0, dropPath, depth) with
 * depth their number, so the depth rule is kept. Sites are found by `findDropoutSites` (nested
 * models, wrappers and `DropoutSiteContainer` layers included). A kind left out of `rates` is
 * not touched.
 *
 * @param model - a model, a layer or a list of them.
 * @param rates - {@link ApplyRatesOptions}.
 * @returns {@link AppliedRates}: the rates set.
 * @throws InvalidArgumentError for a rate outside [0, 1) or NaN (nothing is changed then).
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { applyRates, dropout, dropPath } from '@dropkit/layers';
 * const model = tfl.sequential({
 *   layers: [
 *     tfl.layers.dense({ units: 4, inputShape: [4] }),
 *     dropPath({ rate: 0 }),
 *     dropout({ rate: 0 }),
 *     dropPath({ rate: 0 }),
 *     dropPath({ rate: 0 }),
 *   ],
 * });
 * console.log(applyRates(model, { dropout: 0.1, dropPath: 0.2 })); // { dropout: 0.1, dropPath: [ 0, 0.1, 0.2 ] }
 * ```
 */
export function applyRates(model: LayerTree, rates: ApplyRatesOptions): AppliedRates {
  const dropoutRate =
    rates.dropout === undefined ? undefined : assertRate('dropout', rates.dropout);
  const dropPathRate =
    rates.dropPath === undefined ? undefined : assertRate('dropPath', rates.dropPath);
  const sites = findDropoutSites(model);
  const pathSites = sites.filter((s) => s.dropoutSite === 'dropPath');
  let perDepth: number[] | undefined;
  if (dropPathRate !== undefined) {
    perDepth = pathSites.length === 0 ? [] : dropPathRates(dropPathRate, pathSites.length);
    perDepth.forEach((r, i) => {
      (pathSites[i] as DropoutSite).rate = r;
    });
  }
  if (dropoutRate !== undefined) {
    for (const s of sites) if (s.dropoutSite === 'dropout') s.rate = dropoutRate;
  }
  return {
    ...(dropoutRate === undefined ? {} : { dropout: dropoutRate }),
    ...(perDepth === undefined ? {} : { dropPath: perDepth }),
  };
}
