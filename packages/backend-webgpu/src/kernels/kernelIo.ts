import { InvalidArgumentError } from '@dropkit/core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import { MAX_BROADCAST_GROUPS } from '../programs/DropoutProgram.js';
import type { ProgramUniform } from '../programs/webGpuProgram.js';

/** The kernel's backend as the tfjs WebGPU backend. */
export function asWebGpu(backend: unknown): WebGPUBackend {
  return backend as WebGPUBackend;
}

/**
 * Checks a kernel input is float32: the programs bind it as `array<f32>`, so an int32 buffer
 * would be read as garbage rather than rejected.
 */
export function assertFloat32(name: string, t: TensorInfo): void {
  if (t.dtype !== 'float32') {
    throw new InvalidArgumentError(
      name,
      `a ${t.dtype} tensor of shape [${t.shape}]`,
      'a float32 tensor',
    );
  }
}

/**
 * The same data seen as 1-D: the programs index elements themselves, and a rank-1 view keeps the
 * backend's per-input shape uniforms small and free of its rank-6 limit.
 */
export function flatView(t: TensorInfo): TensorInfo {
  return { dataId: t.dataId, shape: [util.sizeFromShape(t.shape)], dtype: t.dtype };
}

/** A program's flat output handed back with the kernel's output shape (no copy). */
export function withShape(out: TensorInfo, shape: readonly number[]): TensorInfo {
  return { dataId: out.dataId, shape: shape.slice(), dtype: out.dtype };
}

/** An empty float32 output of the given shape, for zero-size inputs (no dispatch). */
export function emptyOutput(backend: WebGPUBackend, shape: readonly number[]): TensorInfo {
  return backend.makeTensorInfo(shape.slice(), 'float32', new Float32Array(0));
}

/** x's shape with every dimension merged into groups that either all broadcast or none does. */
export interface BroadcastGroups {
  /** Group sizes, outermost first. */
  readonly dims: readonly number[];
  /** The mask's stride per group: 0 where the mask broadcasts. */
  readonly strides: readonly number[];
}

/**
 * Collapses a broadcast of a mask of shape `noiseShape` over x: size-1 dimensions of x go, and
 * neighbours that both broadcast (or both do not) merge, which leaves at most a handful of
 * groups for any real shape. Returns null when the mask has x's size (no broadcast at all).
 *
 * @param xShape - x's shape.
 * @param noiseShape - the mask's shape, same rank, each entry 1 or x's size there.
 * @returns the groups, or null for a full-size mask.
 * @throws InvalidArgumentError for a noise shape that does not broadcast, or one that needs
 *   more than 8 alternating groups.
 */
export function collapseBroadcast(
  xShape: readonly number[],
  noiseShape: readonly number[],
): BroadcastGroups | null {
  const ok =
    Array.isArray(noiseShape) &&
    noiseShape.length === xShape.length &&
    noiseShape.every((d, i) => d === 1 || d === xShape[i]);
  if (!ok) {
    throw new InvalidArgumentError(
      'noiseShape',
      noiseShape,
      `an array of ${xShape.length} entries, each 1 or the size of x there (x has shape [${xShape}])`,
    );
  }
  if (util.sizeFromShape(noiseShape as number[]) === util.sizeFromShape(xShape as number[])) {
    return null;
  }
  const dims: number[] = [];
  const broadcast: boolean[] = [];
  xShape.forEach((size, d) => {
    if (size === 1) return;
    const b = noiseShape[d] === 1;
    if (dims.length > 0 && broadcast[broadcast.length - 1] === b) {
      dims[dims.length - 1] = (dims[dims.length - 1] as number) * size;
    } else {
      dims.push(size);
      broadcast.push(b);
    }
  });
  if (dims.length > MAX_BROADCAST_GROUPS) {
    throw new InvalidArgumentError(
      'noiseShape',
      noiseShape,
      `a mask whose broadcast and full dimensions of x form at most ${MAX_BROADCAST_GROUPS} alternating groups on webgpu (x has shape [${xShape}])`,
    );
  }
  const strides = new Array<number>(dims.length).fill(0);
  let acc = 1;
  for (let g = dims.length - 1; g >= 0; g--) {
    if (broadcast[g]) continue;
    strides[g] = acc;
    acc *= dims[g] as number;
  }
  return { dims, strides };
}

/** The four vec4 uniforms of {@link BroadcastGroups}: sizes padded with 1, strides with 0. */
export function broadcastUniforms(groups: BroadcastGroups): ProgramUniform[] {
  const pad = (values: readonly number[], fill: number) => {
    const out = new Array<number>(MAX_BROADCAST_GROUPS).fill(fill);
    values.forEach((v, i) => {
      out[i] = v;
    });
    return out;
  };
  const dims = pad(groups.dims, 1);
  const strides = pad(groups.strides, 0);
  return [
    { type: 'uint32', data: dims.slice(0, 4) },
    { type: 'uint32', data: dims.slice(4) },
    { type: 'uint32', data: strides.slice(0, 4) },
    { type: 'uint32', data: strides.slice(4) },
  ];
}
