import type { DiagnosticsRecord, EvalRecord, RunConfig, StepRecord } from '../training/index.ts';

/** The page asks the worker to train one run; the worker is terminated to stop it. */
export interface StartMessage {
  readonly type: 'start';
  readonly runId: string;
  readonly config: RunConfig;
  /** The absolute URL of `mnist-subset.bin` (the worker's own URL is in `assets/`). */
  readonly mnistUrl: string;
}

/** What the page sends the training worker. */
export type ToWorker = StartMessage;

/** The backend `useBackend` set up, and why (the part of its `BackendChoice` a page shows). */
export interface BackendInfo {
  /** `webgpu`, `wasm` or `cpu`. */
  readonly name: string;
  /** tfjs's name for it (`tf.getBackend()`). */
  readonly tfBackend: string;
  readonly reason: string;
}

/** What the training worker posts, in this order: backend, ready, then records, then done. */
export type FromWorker =
  | { readonly type: 'backend'; readonly runId: string; readonly backend: BackendInfo }
  | {
      readonly type: 'ready';
      readonly runId: string;
      readonly parameters: number;
      readonly trainSize: number;
      readonly testSize: number;
      readonly stepsPerEpoch: number;
    }
  | { readonly type: 'step'; readonly runId: string; readonly record: StepRecord }
  | { readonly type: 'eval'; readonly runId: string; readonly record: EvalRecord }
  | { readonly type: 'diagnostics'; readonly runId: string; readonly record: DiagnosticsRecord }
  | { readonly type: 'done'; readonly runId: string; readonly steps: number }
  | {
      readonly type: 'error';
      readonly runId: string;
      readonly message: string;
      /** Steps done when it failed. */
      readonly step: number;
    };
