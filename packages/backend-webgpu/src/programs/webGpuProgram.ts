/**
 * The program shape `WebGPUBackend.runWebGPUProgram` accepts (tfjs-backend-webgpu 4.22), written
 * out here because the package exports no type for it. The backend prepends to `getUserCode()`
 * the storage bindings (`result`, then one array per name in `variableNames`), a `Uniforms`
 * struct that starts with NAN, INFINITY and the shapes of the inputs and the output and ends with
 * `uniforms`, and a `_start` entry point that calls `main(index)` with the flat invocation index.
 */
export interface WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  outputComponent?: number;
  variableComponents?: number[];
  atomic?: boolean;
  getUserCode(): string;
}

/** One program-defined uniform value, in the order of the program's `uniforms` declaration. */
export interface ProgramUniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

/**
 * A flat 1-D dispatch of `invocations` invocations in workgroups of `workgroupSize`; the backend
 * folds it into 2-D or 3-D when it exceeds the per-dimension limit, and `main(index)` still gets
 * the flat index.
 */
export function flatDispatch(invocations: number, workgroupSize: number): [number, number, number] {
  return [Math.max(1, Math.ceil(invocations / workgroupSize)), 1, 1];
}

/** The dispatch layout of every dropkit program: flat, so `main` receives one index. */
export function flatLayout(): { x: number[] } {
  return { x: [0] };
}

/** One scalar `u32` uniform per value, in order. */
export function u32Uniforms(...values: number[]): ProgramUniform[] {
  return values.map((v) => ({ type: 'uint32', data: [v] }));
}

/** One scalar `f32` uniform per value, in order. */
export function f32Uniforms(...values: number[]): ProgramUniform[] {
  return values.map((v) => ({ type: 'float32', data: [v] }));
}
