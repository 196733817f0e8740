import { serialization } from '@tensorflow/tfjs-core';
import { AlphaDropout } from './AlphaDropout.js';
import { DropBlock2D, ProbDropBlock2D } from './DropBlock2D.js';
import { DropConnectDense } from './DropConnectDense.js';
import { Dropout } from './Dropout.js';
import { DropPath } from './DropPath.js';
import { GaussianDropout } from './GaussianDropout.js';
import { MCDropout } from './MCDropout.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './SpatialDropout.js';
import { Standout } from './Standout.js';
import { StochasticDepth } from './StochasticDepth.js';

// The layer modules import this one (their constructors register) and this one imports them: an
// ES module cycle that is safe because neither side touches the other at module evaluation,
// only inside function bodies. Keep it so: no module-level use of a layer class here, and no
// layer class extending another from a different module of the cycle.

let registeredNames: readonly string[] | undefined;

/**
 * Registers every dropkit layer class with tfjs's serialization map, so that `model.toJSON`,
 * `model.save` and `tf.loadLayersModel` know them (class names `DropkitDropout`,
 * `DropkitDropPath`, ...). Nothing is registered at import time: every layer constructor and
 * factory calls this on first use, and a program that only loads a saved model calls it before
 * `loadLayersModel`. Calling it again does nothing.
 *
 * @returns the registered class names.
 * @example
 * ```ts
 * import { registerLayers } from '@dropkit/layers';
 * console.log(registerLayers().includes('DropkitDropPath')); // true
 * ```
 */
export function registerLayers(): readonly string[] {
  if (registeredNames) return registeredNames;
  const classes = [
    Dropout,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
    GaussianDropout,
    AlphaDropout,
    DropConnectDense,
    DropBlock2D,
    ProbDropBlock2D,
    DropPath,
    StochasticDepth,
    MCDropout,
    Standout,
  ];
  for (const cls of classes) {
    serialization.registerClass(cls as unknown as serialization.SerializableConstructor<never>);
  }
  registeredNames = Object.freeze(classes.map((c) => c.className));
  return registeredNames;
}

/** Registers the layers (once) and hands the constructor arguments through. */
export function registered<T>(args: T): T {
  registerLayers();
  return args;
}
