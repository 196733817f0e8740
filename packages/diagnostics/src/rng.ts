import { type Tensor, tensor } from '@tensorflow/tfjs-core';

/**
 * A small seeded generator (SplitMix32 steps) for the random probe vectors of the curvature
 * measures. Generated in JavaScript so a seed gives the same vectors on every backend and tfjs
 * version; the vectors are made once per iteration, so the loop is not the bottleneck next to the
 * Hessian-vector product it feeds.
 */
export class ProbeRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform number in (0, 1). */
  nextOpenUnit(): number {
    return (this.nextUint32() + 0.5) / 2 ** 32;
  }

  /** A tensor of independent standard normal numbers (Box-Muller). */
  normal(shape: readonly number[]): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(this.nextOpenUnit()));
      const theta = 2 * Math.PI * this.nextOpenUnit();
      out[i] = r * Math.cos(theta);
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
    }
    return tensor(out, [...shape], 'float32');
  }

  /** A tensor of independent Rademacher signs, -1 or +1 with probability 1/2 each. */
  rademacher(shape: readonly number[]): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if (i % 32 === 0) bits = this.nextUint32();
      out[i] = (bits >>> (i % 32)) & 1 ? 1 : -1;
    }
    return tensor(out, [...shape], 'float32');
  }
}
