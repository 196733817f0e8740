import type { layers } from '@tensorflow/tfjs-layers';

/**
 * Which schedule drives a dropout site: `dropout` takes the dropout rate as it is; `dropPath`
 * sites share the drop-path rate through the depth rule linspace(0, rate, depth).
 */
export type DropoutSiteKind = 'dropout' | 'dropPath';

/** A layer whose drop rate a scheduler may change between steps. */
export interface DropoutSite {
  /** The layer's name. */
  readonly name: string;
  /** The drop rate used from the next call on; setting it validates it. */
  rate: number;
  /** Which schedule drives this layer. */
  readonly dropoutSite: DropoutSiteKind;
}

/**
 * A custom layer that holds dropout layers internally (attention-probability dropout, say) and
 * lists them so that `applyRates` and `DropoutScheduler` reach them.
 */
export interface DropoutSiteContainer {
  /**
   * The layers inside: dropout sites, or layers that contain some (nested containers and models
   * are walked too).
   */
  dropoutSites(): layers.Layer[];
}

/**
 * Whether a value is a dropout site: a layer with a numeric `rate` and a `dropoutSite` kind.
 *
 * @param value - anything, typically a layer.
 * @returns true for a dropkit dropout layer (or any layer that follows the same contract).
 * @example
 * ```ts
 * import { dropout, isDropoutSite } from '@dropkit/layers';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * console.log(isDropoutSite(dropout({ rate: 0.1 })), isDropoutSite(tfl.layers.dropout({ rate: 0.1 }))); // true false
 * ```
 */
export function isDropoutSite(value: unknown): value is layers.Layer & DropoutSite {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<DropoutSite>;
  return (
    typeof v.rate === 'number' && (v.dropoutSite === 'dropout' || v.dropoutSite === 'dropPath')
  );
}

/**
 * Whether a value implements {@link DropoutSiteContainer}.
 *
 * @param value - anything, typically a layer.
 * @returns true when it has a `dropoutSites()` method.
 * @example
 * ```ts
 * import { isDropoutSiteContainer } from '@dropkit/layers';
 * console.log(isDropoutSiteContainer({ dropoutSites: () => [] })); // true
 * ```
 */
export function isDropoutSiteContainer(value: unknown): value is DropoutSiteContainer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DropoutSiteContainer>).dropoutSites === 'function'
  );
}
