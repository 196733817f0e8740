import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dropoutImpl, gaussianDropoutImpl, rateThreshold, resolveSeed } from '@dropkit/ops';
import { describe, expect, it } from 'vitest';
import { type KernelExports, kernelModuleBytes } from '../src/kernelInstance.js';
import { expectBitIdentical, randomValues, rng } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = (flag: string) =>
  execFileSync(process.execPath, ['scripts/build-wasm.mjs', flag], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });

/** The ids of a module's sections, in order (custom sections are 0). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8;
  while (at < bytes.length) {
    ids.push(bytes[at] as number);
    let size = 0;
    let shift = 0;
    let b: number;
    at++;
    do {
      b = bytes[at++] as number;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b >= 0x80);
    at += size;
  }
  return ids;
}

const EXPORTS = [
  'alphaDropout',
  'alphaDropoutBroadcast',
  'applyAlphaBits',
  'applyBlockMask',
  'applyDropBits',
  'dropBits',
  'dropBlockMask',
  'dropMask',
  'dropout',
  'dropoutBroadcast',
  'gaussianDropout',
  'normalNoise',
  'probThresholds',
  'standout',
  'threefryWords',
  'uniform24',
];

describe('the embedded kernel module', () => {
  it('is what assembly/ compiles to now (run `npm run build:wasm` after changing it)', () => {
    const fresh = build('--print');
    const committed = readFileSync(
      new URL('../src/generated/kernelsWasm.ts', import.meta.url),
      'utf8',
    );
    expect(committed === fresh, 'src/generated/kernelsWasm.ts is stale').toBe(true);
  }, 120_000);

  it('becomes the shared-memory build exactly when its import section is swapped', () => {
    const shared = build('--shared').trim();
    expect(Buffer.from(kernelModuleBytes(true)).toString('base64') === shared).toBe(true);
  }, 120_000);

  it('imports only env.memory and has no data, start or memory of its own', () => {
    for (const shared of [false, true]) {
      const bytes = kernelModuleBytes(shared);
      expect(WebAssembly.validate(bytes)).toBe(true);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
      expect(
        WebAssembly.Module.exports(module)
          .map((e) => `${e.kind} ${e.name}`)
          .sort(),
      ).toEqual(EXPORTS.map((name) => `function ${name}`));
      // 8 start, 5 memory, 11 data, 12 data count: instantiating writes nothing into tfjs's heap.
      const ids = sectionIds(bytes);
      expect(ids.filter((id) => [5, 8, 11, 12].includes(id))).toEqual([]);
      expect(ids).toContain(10); // it does have code
    }
  });

  it('runs on a shared memory (tfjs threaded build) as on an unshared one', () => {
    const n = 1237;
    const values = randomValues(rng(51), n);
    const key = resolveSeed(77);
    const attrs = {
      threshold: rateThreshold(0.3),
      scale: Math.fround(1 / 0.7),
      noiseShape: [n],
      ...key,
    };
    const stddev = Math.fround(Math.sqrt(0.3 / 0.7));
    const results = [false, true].map((shared) => {
      const memory = new WebAssembly.Memory(
        shared ? { initial: 2, maximum: 65536, shared: true } : { initial: 2 },
      );
      const instance = new WebAssembly.Instance(new WebAssembly.Module(kernelModuleBytes(shared)), {
        env: { memory },
      });
      const k = instance.exports as unknown as KernelExports;
      const heap = new Float32Array(memory.buffer);
      heap.set(values, 16);
      const words = [key.seedLo, key.seedHi, key.streamLo, key.streamHi] as const;
      k.dropout(64, 64 + 4 * n, n, attrs.threshold, attrs.scale, ...words, 0);
      const dropped = heap.slice(16 + n, 16 + 2 * n);
      k.gaussianDropout(64, 64 + 4 * n, n, stddev, ...words, 0);
      return [dropped, heap.slice(16 + n, 16 + 2 * n)];
    });
    expect(
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof
        SharedArrayBuffer,
    ).toBe(true);
    for (const [dropped, gaussian] of results) {
      expectBitIdentical(dropped as Float32Array, dropoutImpl(values, [n], attrs));
      expectBitIdentical(gaussian as Float32Array, gaussianDropoutImpl(values, { stddev, ...key }));
    }
    // The unshared build cannot import a shared memory: the variant is needed.
    const sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    expect(
      () =>
        new WebAssembly.Instance(new WebAssembly.Module(kernelModuleBytes(false)), {
          env: { memory: sharedMemory },
        }),
    ).toThrow(WebAssembly.LinkError);
  });
});
