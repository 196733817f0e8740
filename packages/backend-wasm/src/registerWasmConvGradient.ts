import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type DataId,
  type DataType,
  getKernel,
  type KernelConfig,
  registerKernel,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's backend this kernel uses. */
interface WasmBackendLike {
  readSync(dataId: DataId): backend_util.BackendValues;
  makeOutput(
    shape: number[],
    dtype: DataType,
    memoryOffset?: number,
    values?: backend_util.BackendValues,
  ): TensorInfo;
}

/**
 * dW of a 2-D convolution, NHWC: dW[r, c, i, o] = sum over (b, y, x) of
 * input[b, y * strideH + r * dilationH - padTop, x * strideW + c * dilationW - padLeft, i] *
 * dy[b, y, x, o], out-of-image positions contributing nothing.
 */
function conv2dFilterGradient(
  x: Float32Array,
  dy: Float32Array,
  info: backend_util.Conv2DInfo,
): Float32Array {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dw = new Float32Array(filterHeight * filterWidth * inChannels * outChannels);
  const acc = new Float64Array(outChannels);
  for (let r = 0; r < filterHeight; r++) {
    for (let c = 0; c < filterWidth; c++) {
      for (let i = 0; i < inChannels; i++) {
        acc.fill(0);
        for (let b = 0; b < batchSize; b++) {
          for (let y = 0; y < outHeight; y++) {
            const row = y * strideHeight + r * dilationHeight - top;
            if (row < 0 || row >= inHeight) continue;
            for (let col = 0; col < outWidth; col++) {
              const column = col * strideWidth + c * dilationWidth - left;
              if (column < 0 || column >= inWidth) continue;
              const v = x[((b * inHeight + row) * inWidth + column) * inChannels + i] as number;
              if (v === 0) continue;
              const dyBase = ((b * outHeight + y) * outWidth + col) * outChannels;
              for (let o = 0; o < outChannels; o++) {
                acc[o] = (acc[o] as number) + v * (dy[dyBase + o] as number);
              }
            }
          }
        }
        const base = ((r * filterWidth + c) * inChannels + i) * outChannels;
        for (let o = 0; o < outChannels; o++) dw[base + o] = acc[o] as number;
      }
    }
  }
  return dw;
}

const config: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    // Conv2DBackpropFilterInputs, with both inputs present as the gradient always passes them.
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    const format = backend_util.convertConv2DDataFormat(dataFormat);
    if (format !== 'channelsLast') {
      throw new Error(
        `Conv2DBackpropFilter on wasm (registered by @dropkit/backend-wasm) supports NHWC only, not ${dataFormat}.`,
      );
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      format,
    );
    const wasm = backend as unknown as WasmBackendLike;
    const dw = conv2dFilterGradient(
      wasm.readSync(x.dataId) as Float32Array,
      wasm.readSync(dy.dataId) as Float32Array,
      info,
    );
    return wasm.makeOutput([...filterShape], 'float32', undefined, dw);
  },
};

/**
 * Registers the filter gradient of `conv2d` (`Conv2DBackpropFilter`) for tfjs's wasm backend,
 * which tfjs-backend-wasm 4.22 lacks (`Kernel 'Conv2DBackpropFilter' not registered for backend
 * 'wasm'`), so models with a trainable convolution (a ViT's patch embedding, a CNN) train on wasm.
 * A plain JavaScript kernel reading the backend's memory and writing a new output, NHWC only
 * (what tfjs-layers uses), accumulating in float64; tested against the cpu backend's kernel.
 * {@link initWasm} calls it; it does nothing when a kernel is already registered (a later tfjs
 * that has its own keeps it).
 *
 * @returns true when this call registered it, false when a kernel was already there.
 * @example
 * ```ts
 * import { registerWasmConvGradient } from '@dropkit/backend-wasm';
 * registerWasmConvGradient();
 * console.log(registerWasmConvGradient()); // false
 * ```
 */
export function registerWasmConvGradient(): boolean {
  if (getKernel(Conv2DBackpropFilter, 'wasm') !== undefined) return false;
  registerKernel(config);
  return true;
}
