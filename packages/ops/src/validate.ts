import { InvalidArgumentError } from '@dropkit/core';
import { type Tensor, Tensor as TensorClass, type TensorLike, tensor } from '@tensorflow/tfjs-core';

/**
 * Turns an op's input into a float32 tensor, or throws naming the parameter: a non-float tensor
 * is an error (dropout of integers is never meant), as is anything that is not a tensor or an
 * array of numbers.
 */
export function floatTensor(name: string, x: Tensor | TensorLike): Tensor {
  const t = x instanceof TensorClass ? x : toTensor(name, x);
  if (t.dtype !== 'float32') {
    throw new InvalidArgumentError(
      name,
      `a ${t.dtype} tensor of shape [${t.shape}]`,
      'a float32 tensor',
    );
  }
  return t;
}

function toTensor(name: string, x: unknown): Tensor {
  if (typeof x === 'number' || Array.isArray(x) || ArrayBuffer.isView(x)) {
    // A non-float result is reported by the caller, with its dtype.
    return tensor(x as TensorLike);
  }
  throw new InvalidArgumentError(name, x, 'a float32 tensor or an array of numbers');
}

/** Checks a tensor's rank, naming the parameter and what the op expects. */
export function assertRank(name: string, x: Tensor, ranks: readonly number[], what: string): void {
  if (!ranks.includes(x.rank)) {
    throw new InvalidArgumentError(
      `${name}.rank`,
      x.rank,
      `${ranks.join(' or ')} (${what}), got shape [${x.shape}]`,
    );
  }
}

/**
 * Resolves a Keras-style noise shape against x's shape: same rank, each entry 1, x's size there,
 * or null (meaning x's size).
 */
export function resolveNoiseShape(
  x: Tensor,
  noiseShape: readonly (number | null)[] | undefined,
): number[] {
  if (noiseShape === undefined) return x.shape.slice();
  const allowed = `an array of ${x.rank} entries, each 1, null or the size of x there (x has shape [${x.shape}])`;
  if (!Array.isArray(noiseShape) || noiseShape.length !== x.rank) {
    throw new InvalidArgumentError('noiseShape', noiseShape, allowed);
  }
  return noiseShape.map((d, i) => {
    const size = x.shape[i] as number;
    if (d === null) return size;
    if (d !== 1 && d !== size) throw new InvalidArgumentError('noiseShape', noiseShape, allowed);
    return d;
  });
}
