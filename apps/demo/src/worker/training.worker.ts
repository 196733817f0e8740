// One training run in a module worker, so the page never waits on tfjs. The page terminates the
// worker to stop the run.
import { useBackend } from '@dropkit/backends';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadDemoData } from '../data/loadDemoData.ts';
import { createTrainingSession } from '../training/index.ts';
import type { FromWorker, StartMessage, ToWorker } from './messages.ts';

interface WorkerScope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;

// Vite emits the binaries as assets and hands out their URLs, relative to this worker's own URL,
// so the build works from any sub-path.
const WASM_FILES = {
  'tfjs-backend-wasm.wasm': new URL(wasmPlain, import.meta.url).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimd, import.meta.url).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreaded, import.meta.url).href,
};

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Could not load the MNIST subset from ${url}: HTTP ${response.status}.`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function train({ runId, config, mnistUrl }: StartMessage): Promise<void> {
  let steps = 0;
  try {
    const choice = await useBackend(config.backend, { wasm: { wasmPaths: WASM_FILES } });
    scope.postMessage({
      type: 'backend',
      runId,
      backend: { name: choice.name, tfBackend: choice.tfBackend, reason: choice.reason },
    });
    const data = await loadDemoData(config.dataset, {
      mnistBytes: () => fetchBytes(mnistUrl),
      mnistSource: mnistUrl,
    });
    const session = await createTrainingSession(config, data);
    try {
      scope.postMessage({
        type: 'ready',
        runId,
        parameters: session.parameterCount,
        trainSize: data.train.size,
        testSize: data.test.size,
        stepsPerEpoch: session.stepsPerEpoch,
      });
      const diagnose = async () => {
        if (config.diagnosticsEvery > 0) {
          scope.postMessage({ type: 'diagnostics', runId, record: await session.diagnose() });
        }
      };
      scope.postMessage({ type: 'eval', runId, record: session.evaluate() });
      await diagnose();
      while (steps < config.steps) {
        const record = await session.step();
        steps = session.stepsDone;
        scope.postMessage({ type: 'step', runId, record });
        if (steps % config.evalEvery === 0 || steps === config.steps) {
          scope.postMessage({ type: 'eval', runId, record: session.evaluate() });
        }
        // The last step is always measured, so that a short run still draws a line.
        if (steps % config.diagnosticsEvery === 0 || steps === config.steps) await diagnose();
      }
    } finally {
      session.dispose();
    }
    scope.postMessage({ type: 'done', runId, steps });
  } catch (e) {
    scope.postMessage({ type: 'error', runId, message: messageOf(e), step: steps });
  }
}

scope.onmessage = (event) => {
  if (event.data.type === 'start') void train(event.data);
};
