// dropkit's fused kernels for the tfjs WASM backend. The module imports tfjs's own memory
// (env.memory) and works in place on it: every export takes byte offsets of tensors and scratch
// buffers the caller allocated there, and writes nowhere else. It has no static data, no start
// function and no allocator (runtime stub, nothing allocated), which test/module.test.ts checks.

export { alphaDropout, applyAlphaBits } from './alphaDropout';
export { alphaDropoutBroadcast, dropoutBroadcast } from './broadcast';
export { applyBlockMask, dropBlockMask, probThresholds } from './dropBlock';
export { applyDropBits, dropBits, dropout } from './dropout';
export { gaussianDropout, normalNoise } from './gaussianDropout';
export { standout } from './standout';
export { dropMask, threefryWords, uniform24 } from './uniform';
