// Input plumbing shared by the custom layers; not exported from the package.
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';

/** The shape of the first input: these layers take one. */
export const firstShape = (s: Shape | Shape[]): Shape =>
  Array.isArray(s[0]) ? (s[0] as Shape) : (s as Shape);

/** The first input tensor. */
export const firstTensor = (inputs: Tensor | Tensor[]): Tensor =>
  Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
