import { assertFinite, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import {
  add,
  addN,
  dispose,
  engine,
  mul,
  type Scalar,
  stack,
  sub,
  sum,
  type Tensor,
  tidy,
  type Variable,
  variableGrads,
  zerosLike,
} from '@tensorflow/tfjs-core';
import {
  batchSizeOf,
  disposeBatch,
  type ReplayableData,
  replay,
  sliceBatch,
} from './batchSource.js';
import { noteMemory } from './memoryWatermark.js';
import type { Batch, Objective } from './objective.js';
import { copyValues, dataLossGradients, dotAll, readAndDispose } from './parameterTools.js';
import { reorderActiveTape } from './tapeOrder.js';

/** How Hessian-vector products are computed. */
export type HessianMethod = 'auto' | 'exact' | 'finite-difference';

/** Options shared by the curvature measures (eigenvalue, trace). */
export interface CurvatureOptions {
  /**
   * Dropout on (true) or inference mode (false, as PyHessian, which forces eval mode). Default
   * false. With true each product sees new masks, and finite differences are only meaningful
   * when the loss is deterministic (a fixed dropout seed).
   */
  readonly training?: boolean;
  /**
   * `exact`: double backprop (`tf.variableGrads` of a function calling `tf.variableGrads`).
   * `finite-difference`: Hv ≈ (g(w + hv) - g(w - hv)) / 2h, two gradients per product.
   * `auto` (default): exact is checked against finite differences on single examples first
   * (see {@link HessianCheck}) and used if it passes, finite differences otherwise.
   */
  readonly method?: HessianMethod;
  /**
   * The finite-difference step as a fraction of the weight norm: the perturbation hv has norm
   * `fdStep * max(1, ||w||_2)`. Default 1e-3.
   */
  readonly fdStep?: number;
  /**
   * Relative distance ||a - b|| / max(||a||, ||b||) under which two products of the `auto` check
   * agree. Default 1e-2.
   */
  readonly verifyTolerance?: number;
}

/** The method actually used, as reported by the curvature measures. */
export type UsedHessianMethod = 'exact' | 'finite-difference';

/**
 * How `auto` chose, comparing the exact product with finite differences at steps h and h/8 on
 * the loss of single examples (up to 4) of the first batch: `agreed` (exact matched one of them:
 * exact used), `exact-failed` (double backprop threw, an op has no second derivative: finite
 * differences used), `exact-disagreed` (the two finite differences agree with each other and not
 * with exact: finite differences used), `inconclusive` (no example settled it: exact used,
 * unverified), `skipped` (a method was forced).
 */
export type HessianCheck =
  | 'agreed'
  | 'exact-failed'
  | 'exact-disagreed'
  | 'inconclusive'
  | 'skipped';

/** How many single examples `auto` tries before calling the check inconclusive. */
const CHECK_EXAMPLES = 4;

/** Frees the tensors a failed gradient left on the tape (tfjs keeps them for a backward pass). */
function discardFailedTape(): void {
  const state = (
    engine() as unknown as {
      state?: { gradientDepth?: number; activeTape?: { saved?: Tensor[] }[] | null };
    }
  ).state;
  // Inside a caller's own gradient the tape is theirs; leave it.
  if (state === undefined || state.gradientDepth !== 0 || !Array.isArray(state.activeTape)) return;
  for (const node of state.activeTape) dispose(node.saved ?? []);
  state.activeTape = null;
}

function exactProduct(
  objective: Objective,
  batch: Batch,
  v: readonly Tensor[],
  training: boolean,
): Tensor[] {
  const params = objective.params as Variable[];
  return tidy(() => {
    const { grads } = variableGrads(() => {
      const inner = variableGrads(() => {
        const l = objective.loss(batch, training);
        noteMemory();
        return l;
      }, params).grads;
      const s = addN(
        params.map((p, i) => sum(mul(inner[p.name] ?? zerosLike(p), v[i] as Tensor))),
      ) as Scalar;
      reorderActiveTape();
      return s;
    }, params);
    noteMemory();
    return params.map((p) => grads[p.name] ?? zerosLike(p));
  });
}

async function exactDataProduct(
  objective: Objective,
  data: ReplayableData,
  v: readonly Tensor[],
  training: boolean,
): Promise<Tensor[]> {
  let acc: Tensor[] | null = null;
  let count = 0;
  for await (const batch of replay(data, 'data')) {
    const n = batchSizeOf(batch);
    let hv: Tensor[];
    try {
      hv = exactProduct(objective, batch, v, training);
    } catch (err) {
      discardFailedTape();
      dispose(acc ?? []);
      throw err;
    }
    const prev: Tensor[] | null = acc;
    acc = tidy(() => hv.map((t, i) => (prev ? add(prev[i] as Tensor, mul(t, n)) : mul(t, n))));
    dispose([...hv, ...(prev ?? [])]);
    count += n;
  }
  const total = acc as Tensor[];
  const out = tidy(() => total.map((t) => mul(t, 1 / count)));
  dispose(total);
  return out;
}

/**
 * Hessian-vector products of an objective's loss over some data, at the weights it was created
 * at. Finite differences move the weights and put them back from a saved copy (bit for bit);
 * {@link HessianVectorProducts.dispose} frees the copy.
 */
export class HessianVectorProducts {
  private readonly saved: Tensor[];
  private readonly weightNorm: number;
  private chosen: UsedHessianMethod | null;
  private checkResult: HessianCheck;

  private constructor(
    private readonly objective: Objective,
    private readonly data: ReplayableData,
    private readonly training: boolean,
    requested: HessianMethod,
    private readonly fdStep: number,
    private readonly verifyTolerance: number,
    saved: Tensor[],
    weightNorm: number,
  ) {
    this.saved = saved;
    this.weightNorm = weightNorm;
    this.chosen = requested === 'auto' ? null : requested;
    this.checkResult = 'skipped';
  }

  /** Validates the options and saves the weights. */
  static async create(
    objective: Objective,
    data: ReplayableData,
    options: CurvatureOptions,
  ): Promise<HessianVectorProducts> {
    const method = assertOneOf('method', options.method ?? 'auto', [
      'auto',
      'exact',
      'finite-difference',
    ] as const);
    const fdStep = assertFinite('fdStep', options.fdStep ?? 1e-3);
    if (!(fdStep > 0)) throw new InvalidArgumentError('fdStep', fdStep, 'a number > 0');
    const verifyTolerance = assertFinite('verifyTolerance', options.verifyTolerance ?? 1e-2);
    if (!(verifyTolerance > 0)) {
      throw new InvalidArgumentError('verifyTolerance', verifyTolerance, 'a number > 0');
    }
    const saved = copyValues(objective.params);
    const [sq] = await readAndDispose(dotAll(saved, saved));
    return new HessianVectorProducts(
      objective,
      data,
      options.training ?? false,
      method,
      fdStep,
      verifyTolerance,
      saved,
      Math.sqrt(sq as number),
    );
  }

  /** The method in use; null until the first product under `auto`. */
  get method(): UsedHessianMethod | null {
    return this.chosen;
  }

  /** How `auto` chose; `skipped` for a forced method. */
  get check(): HessianCheck {
    return this.checkResult;
  }

  /** H v, in parameter order; the caller disposes the result. */
  async product(v: readonly Tensor[]): Promise<Tensor[]> {
    if (this.chosen === null) await this.choose(v);
    if (this.chosen === 'exact')
      return exactDataProduct(this.objective, this.data, v, this.training);
    return this.finiteDifference(v, this.fdStep, this.data);
  }

  /**
   * The `auto` decision, made before the first product by comparing the two methods on single
   * examples. Whether double backprop is right depends on the loss's ops, not on the data, and
   * one example has few ReLU units whose kinks a finite-difference step can cross: on a whole
   * batch of a ReLU network the crossings add up to a curvature that does not shrink with the
   * step, so finite differences there can neither confirm nor refute the exact product.
   */
  private async choose(v: readonly Tensor[]): Promise<void> {
    let first: Batch | null = null;
    for await (const b of replay(this.data, 'data')) {
      first = b;
      break;
    }
    const n = batchSizeOf(first as Batch);
    for (let i = 0; i < Math.min(n, CHECK_EXAMPLES); i++) {
      const one = sliceBatch(first as Batch, i, 1);
      try {
        const verdict = await this.compareOn(one, v);
        if (verdict === 'exact-failed' || verdict === 'exact-disagreed') {
          this.decide('finite-difference', verdict);
          return;
        }
        if (verdict === 'agreed') {
          this.decide('exact', verdict);
          return;
        }
      } finally {
        disposeBatch(one);
      }
    }
    this.decide('exact', 'inconclusive');
  }

  /** Exact against finite differences at steps h and h/8 on one example's loss. */
  private async compareOn(
    example: Batch,
    v: readonly Tensor[],
  ): Promise<HessianCheck | 'no-signal' | 'unstable'> {
    let exact: Tensor[];
    try {
      exact = await exactDataProduct(this.objective, example, v, this.training);
    } catch {
      // Some op of this loss has no second derivative.
      return 'exact-failed';
    }
    const held: Tensor[][] = [exact];
    try {
      const fd = await this.finiteDifference(v, this.fdStep, example);
      held.push(fd);
      const first = await this.distance(exact, fd);
      if (first.scale === 0) return 'no-signal';
      if (first.agree) return 'agreed';
      // One finite difference can be off on its own (a kink inside the step): a shorter step
      // tells an unstable finite difference from a wrong exact product.
      const short = await this.finiteDifference(v, this.fdStep / 8, example);
      held.push(short);
      if ((await this.distance(exact, short)).agree) return 'agreed';
      if ((await this.distance(fd, short)).agree) return 'exact-disagreed';
      return 'unstable';
    } finally {
      for (const t of held) dispose(t);
    }
  }

  private decide(method: UsedHessianMethod, check: HessianCheck): void {
    this.chosen = method;
    this.checkResult = check;
  }

  private async distance(
    a: readonly Tensor[],
    b: readonly Tensor[],
  ): Promise<{ agree: boolean; scale: number }> {
    const [d2, a2, b2] = await readAndDispose(
      tidy(() => {
        const diff = a.map((t, i) => sub(t, b[i] as Tensor));
        return stack([dotAll(diff, diff), dotAll(a, a), dotAll(b, b)]);
      }),
    );
    const scale = Math.sqrt(Math.max(a2 as number, b2 as number));
    return { agree: Math.sqrt(d2 as number) <= this.verifyTolerance * scale, scale };
  }

  private async finiteDifference(
    v: readonly Tensor[],
    step: number,
    data: ReplayableData,
  ): Promise<Tensor[]> {
    const params = this.objective.params;
    const [vv] = await readAndDispose(dotAll(v, v));
    const vNorm = Math.sqrt(vv as number);
    if (vNorm === 0) return v.map((t) => zerosLike(t));
    const h = (step * Math.max(1, this.weightNorm)) / vNorm;
    const at = async (sign: number) => {
      params.forEach((p, i) => {
        tidy(() => p.assign(add(this.saved[i] as Tensor, mul(v[i] as Tensor, sign * h))));
      });
      return dataLossGradients(this.objective, data, this.training, 'data');
    };
    try {
      const plus = await at(1);
      let minus: Awaited<ReturnType<typeof at>>;
      try {
        minus = await at(-1);
      } catch (err) {
        dispose([plus.value, ...plus.grads]);
        throw err;
      }
      const out = tidy(() =>
        plus.grads.map((g, i) => mul(sub(g, minus.grads[i] as Tensor), 1 / (2 * h))),
      );
      dispose([plus.value, minus.value, ...plus.grads, ...minus.grads]);
      return out;
    } finally {
      this.restore();
    }
  }

  /** Puts the saved weights back, bit for bit. */
  restore(): void {
    this.objective.params.forEach((p, i) => {
      p.assign(this.saved[i] as Tensor);
    });
  }

  /** Restores the weights and frees the saved copy. */
  dispose(): void {
    this.restore();
    dispose(this.saved);
  }
}
