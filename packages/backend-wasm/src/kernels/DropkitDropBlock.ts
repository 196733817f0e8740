import { assertInteger, assertOneOf, assertRate, InvalidArgumentError } from '@dropkit/core';
import {
  type DropBlockAttrs,
  DropkitDropBlock,
  dropBlockGeometry,
  rateThreshold,
} from '@dropkit/ops';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelInstance } from '../kernelInstance.js';
import {
  float32Offset,
  float32Output,
  padTo32,
  type WasmHeapBackend,
  withScratch,
} from '../wasmHeap.js';
import { assertSameShape, keyWords } from './shapes.js';

/**
 * Checks what the kernel's memory accesses depend on (rank, layout, block size), so that no
 * attribute can make it index outside x or its scratch; and the rate, which a NaN would turn
 * into a threshold that the reference and this kernel read differently.
 */
function checkedGeometry(x: TensorInfo, attrs: DropBlockAttrs) {
  if (x.shape.length !== 4) {
    throw new InvalidArgumentError('x.rank', x.shape.length, `4, got shape [${x.shape}]`);
  }
  assertOneOf('dataFormat', attrs.dataFormat, ['NHWC', 'NCHW']);
  if (typeof attrs.perChannel !== 'boolean') {
    throw new InvalidArgumentError('perChannel', attrs.perChannel, 'true or false');
  }
  assertRate('rate', attrs.rate, { allowOne: true });
  const g = dropBlockGeometry(x.shape, attrs);
  assertInteger('blockSize', attrs.blockSize, { min: 1, max: Math.max(1, Math.min(g.h, g.w)) });
  return g;
}

/**
 * DropBlock (guide null) or ProbDropBlock (seed probabilities from the guide's salience) on the
 * heap: uniforms for the seed grid (vectorised Threefry), per-seed thresholds for ProbDropBlock,
 * the block mask and its kept count, then the multiply. Scratch is allocated per call.
 */
export function runDropBlock(
  backend: WasmHeapBackend,
  x: TensorInfo,
  guide: TensorInfo | null,
  attrs: DropBlockAttrs,
): TensorInfo {
  const g = checkedGeometry(x, attrs);
  const xp = float32Offset(backend, 'x', x);
  let gp = 0;
  if (guide !== null) {
    gp = float32Offset(backend, 'guide', guide);
    assertSameShape('guide', guide, x);
  }
  const nhwc = attrs.dataFormat === 'NHWC' ? 1 : 0;
  return float32Output(backend, x.shape, (op) => {
    const k = kernelInstance(backend);
    const plain = rateThreshold(Math.min(1, g.gamma));
    const seeds = g.n * g.cm * g.hs * g.ws;
    const len = g.n * g.cm * g.h * g.w;
    const sizes = [padTo32(seeds) * 4, padTo32(len)];
    if (guide !== null) {
      sizes.push(g.n * g.hs * g.ws * 4, (g.h + 1) * (g.w + 1) * 8, g.hs * g.ws * 8);
    }
    withScratch(backend, sizes, ([u, dropped, thr, sat, sv]) => {
      k.uniform24(u as number, seeds, ...keyWords(attrs));
      if (guide !== null) {
        k.probThresholds(
          gp,
          thr as number,
          sat as number,
          sv as number,
          g.n,
          g.h,
          g.w,
          g.c,
          g.bs,
          nhwc,
          g.gamma,
          plain,
        );
      }
      const kept =
        k.dropBlockMask(
          u as number,
          guide !== null ? (thr as number) : 0,
          dropped as number,
          padTo32(len),
          g.n,
          g.cm,
          g.h,
          g.w,
          g.bs,
          nhwc,
          plain,
        ) >>> 0;
      const scale = kept === 0 ? 0 : Math.fround(len / kept);
      k.applyBlockMask(xp, op, dropped as number, g.n, g.h, g.w, g.c, g.cm, nhwc, scale);
    });
  });
}

/** The wasm kernel of {@link DropkitDropBlock}. */
export const dropBlockWasmConfig: KernelConfig = {
  kernelName: DropkitDropBlock,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    runDropBlock(
      backend as unknown as WasmHeapBackend,
      inputs.x as TensorInfo,
      null,
      attrs as unknown as DropBlockAttrs,
    ),
};
