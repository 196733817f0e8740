// Makes wasm and webgpu available to `describeWithBackends`, so every suite imported by this
// package's test files runs on cpu, wasm and webgpu. DROPKIT_TEST_BACKENDS=cpu,wasm narrows it.
import { initWasm } from '@dropkit/backend-wasm';
import { initWebGpu } from '@dropkit/backend-webgpu';
import { registerTestBackend } from '@dropkit/test-utils';

registerTestBackend('wasm', async () => {
  await initWasm({ setBackend: false });
  return true;
});

registerTestBackend('webgpu', async () => {
  await initWebGpu({ setBackend: false });
  return true;
});
