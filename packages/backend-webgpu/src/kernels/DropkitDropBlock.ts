import { assertInteger, InvalidArgumentError } from '@dropkit/core';
import {
  type DropBlockAttrs,
  DropkitDropBlock,
  dropBlockGeometry,
  rateThreshold,
} from '@dropkit/ops';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { DropBlockApplyProgram } from '../programs/DropBlockApplyProgram.js';
import {
  DropBlockMaskProgram,
  MAX_BLOCK_SIZE,
  wordsPerRow,
} from '../programs/DropBlockMaskProgram.js';
import { SalienceProgram } from '../programs/SalienceProgram.js';
import { SeedThresholdProgram } from '../programs/SeedThresholdProgram.js';
import { f32Uniforms, u32Uniforms } from '../programs/webGpuProgram.js';
import { keyUniforms } from '../wgsl/threefryWgsl.js';
import { assertFloat32, asWebGpu, emptyOutput, flatView, withShape } from './kernelIo.js';

/**
 * A fresh int32 output whose element 0 is zero: the mask pass adds its kept counts there with
 * atomics. The buffer comes from the backend's pool, so it holds old data; `queue.writeBuffer`
 * runs before any later submit, and a pooled buffer is never referenced by commands recorded
 * but not yet submitted (the backend frees buffers only after submitting), so zeroing 4 bytes
 * this way is ordered correctly without a dispatch of its own.
 */
function zeroedCounterOutput(backend: WebGPUBackend, length: number): TensorInfo {
  const out = backend.makeTensorInfo([length], 'int32');
  backend.uploadToGPU(out.dataId);
  const { resource } = backend.tensorMap.get(out.dataId);
  backend.queue.writeBuffer(resource as GPUBuffer, 0, new Uint32Array(1));
  return out;
}

/**
 * DropBlock and ProbDropBlock on WebGPU. The rescale numel / kept needs the kept count of the
 * whole mask before any output element can be written, and WebGPU has no grid-wide barrier, so
 * two dispatches is the least: the mask pass (seeds, dilation, count, atomics) and the apply pass
 * (scale, multiply). ProbDropBlock adds two in front: salience per position, then per-sample seed
 * thresholds (a per-sample mean, another grid-wide dependency).
 *
 * @param guide - ProbDropBlock's salience source (null for DropBlock).
 */
export function runDropBlock(
  backend: WebGPUBackend,
  x: TensorInfo,
  guide: TensorInfo | null,
  attrs: DropBlockAttrs,
): TensorInfo {
  assertFloat32('x', x);
  if (x.shape.length !== 4) {
    throw new InvalidArgumentError(
      'x.rank',
      x.shape.length,
      `4 ([batch, height, width, channels] or [batch, channels, height, width]), got shape [${x.shape}]`,
    );
  }
  if (guide) {
    assertFloat32('guide', guide);
    if (!util.arraysEqual(guide.shape, x.shape)) {
      throw new InvalidArgumentError('guide.shape', guide.shape, `x's shape [${x.shape}]`);
    }
  }
  const g = dropBlockGeometry(x.shape, attrs);
  // The mask pass keeps up to 64 + blockSize - 1 seed rows in 16 KiB of workgroup memory, the
  // least every WebGPU device has.
  assertInteger('blockSize', attrs.blockSize, {
    min: 1,
    max: Math.max(1, Math.min(g.h, g.w, MAX_BLOCK_SIZE)),
  });
  const n = util.sizeFromShape(x.shape);
  if (n === 0) return emptyOutput(backend, x.shape);
  const plainThreshold = rateThreshold(Math.min(1, g.gamma));
  const temporaries: TensorInfo[] = [];
  let thresholds: TensorInfo | null = null;
  if (guide) {
    const salience = backend.runWebGPUProgram(
      new SalienceProgram(g.n * g.h * g.w, attrs.dataFormat),
      [flatView(guide)],
      'float32',
      u32Uniforms(g.n * g.h * g.w, g.c, g.h * g.w),
    );
    thresholds = backend.runWebGPUProgram(
      new SeedThresholdProgram(g.n, g.hs * g.ws, g.bs),
      [salience],
      'int32',
      [
        ...u32Uniforms(plainThreshold),
        ...f32Uniforms(g.gamma),
        ...u32Uniforms(g.h, g.w, g.hs, g.ws, g.n),
      ],
    );
    temporaries.push(salience, thresholds);
  }
  const geometry = { planes: g.n * g.cm, h: g.h, w: g.w, hs: g.hs, ws: g.ws, bs: g.bs };
  const maskProgram = new DropBlockMaskProgram(geometry, thresholds !== null);
  const mask = zeroedCounterOutput(backend, maskProgram.outputShape[0] as number);
  backend.runWebGPUProgram(
    maskProgram,
    thresholds ? [thresholds] : [],
    'int32',
    [
      ...keyUniforms(attrs),
      ...u32Uniforms(
        plainThreshold,
        g.h,
        g.w,
        g.hs,
        g.ws,
        wordsPerRow(g.w),
        maskProgram.bands,
        maskProgram.tiles,
        g.cm,
      ),
    ],
    mask,
  );
  temporaries.push(mask);
  const out = backend.runWebGPUProgram(
    new DropBlockApplyProgram(n, attrs.dataFormat, attrs.perChannel),
    [flatView(x), mask],
    'float32',
    [...u32Uniforms(n, g.n * g.cm * g.h * g.w, g.c, g.h, g.w, wordsPerRow(g.w)), ...f32Uniforms(0)],
  );
  // Released after the pending commands are submitted, not before (the backend defers it).
  for (const t of temporaries) backend.disposeData(t.dataId);
  return withShape(out, x.shape);
}

/**
 * The WebGPU kernel of {@link DropkitDropBlock}: the mask pass and the apply pass, bit-identical
 * to the cpu kernel (the gradient reruns it on dy).
 */
export const dropBlockWebGpuConfig: KernelConfig = {
  kernelName: DropkitDropBlock,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) =>
    runDropBlock(
      asWebGpu(backend),
      inputs.x as TensorInfo,
      null,
      attrs as unknown as DropBlockAttrs,
    ),
};
