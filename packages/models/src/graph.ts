// Functional-graph helpers shared by the builders; not exported from the package.
import { Dropout, DropPath } from '@dropkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { CheckedCommon, SeedSequence } from './arguments.js';
import { LayerNorm } from './layers/LayerNorm.js';

/** Applies a layer to one symbolic tensor or a list of them. */
export function call(layer: layers.Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/**
 * LayerNorm over the last axis with the epsilon of timm's ViT, Mixer and ConvNeXt (1e-6); our
 * own layer, since tfjs-layers' tiles its statistics and makes the backward pass thousands of
 * kernels (see {@link LayerNorm}).
 */
export function layerNorm(name: string): layers.Layer {
  return new LayerNorm({ epsilon: 1e-6, name });
}

/** A named dropout site; it exists at rate 0 too, so a schedule can switch it on later. */
export function dropoutSite(name: string, rate: number, seeds: SeedSequence): Dropout {
  return new Dropout({ rate, name, ...seeds.take() });
}

/** A named drop-path site for one residual block. */
export function dropPathSite(name: string, rate: number, seeds: SeedSequence): DropPath {
  return new DropPath({ rate, name, ...seeds.take() });
}

/**
 * `shortcut + dropPath(branch)`: the block's drop path is one layer shared by all of its
 * residual branches, so `applyRates` counts one drop-path site per block and keeps the depth rule.
 */
export function residual(
  shortcut: SymbolicTensor,
  branch: SymbolicTensor,
  dropPath: DropPath,
  name: string,
): SymbolicTensor {
  return call(layers.add({ name }), [shortcut, call(dropPath, branch)]);
}

/** The classifier: a dense layer with the chosen output activation, named `head`. */
export function classifierHead(
  x: SymbolicTensor,
  common: CheckedCommon,
  name = 'head',
): SymbolicTensor {
  return call(
    layers.dense({ units: common.classes, activation: common.outputActivation, name }),
    x,
  );
}
