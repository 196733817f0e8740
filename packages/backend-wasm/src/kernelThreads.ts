import { DropkitError } from '@dropkit/core';
import type { KernelExports } from './kernelInstance.js';

// Helper threads for the elementwise kernels whose cost is their arithmetic: dropout and alpha
// dropout (same-shape masks, forward and backward), Gaussian dropout and standout.
//
// tfjs-backend-wasm runs its single-threaded build in Node (and in browsers without cross-origin
// isolation), so its heap is not shared and no other thread can write a tensor there. The
// helpers work in a shared memory of their own, each with its own instance of the kernel module:
//   - dropout and alpha dropout: what costs is the random words, not the multiply, so a helper
//     writes the drop bits of its chunks (one byte per four elements) and the calling thread
//     applies them on tfjs's heap at memory speed;
//   - Gaussian dropout and standout (a log and cos, or an exp, per element): the calling thread
//     copies the inputs into the shared memory, a helper runs the fused kernel there, and the
//     calling thread copies its chunks' outputs back, about 4% of the kernel's time. Tensors
//     are done in windows of WINDOW_ELEMENTS, so the shared memory stays under 50 MB.
// The tensor (window) is cut into chunks of chunkBlocks blocks, handed out through one atomic
// counter: the caller runs the fused kernel in place on the chunks it takes and applies or copies
// the helpers' as they come. When none is left to take, it runs any chunk a helper still holds
// itself rather than wait for a thread the machine may have descheduled, and waits for that
// helper only before the next job reuses the shared memory. Any split gives the same values:
// every element's random words depend on its index alone, and the helpers run the same code.
//
// The control block (an Int32Array over a SharedArrayBuffer, and a Float64Array over its end):
//   SEQ     job sequence number, odd while the caller writes a job's parameters (a seqlock: a
//           helper reads the parameters, then checks SEQ is unchanged);
//   NEXT    the next chunk: the job's tag (SEQ / 2 mod 4096) in the top 12 bits, the chunk index
//           in the low 20, so that a claim from a finished job fails its compare-exchange;
//   STOP    set to end the helpers;
//   the job: its kind, chunk count, elements per chunk, elements in the window and the window's
//   first element in the tensor, threshold, the four key words, where the outputs, inputs and
//   per-chunk states are in the shared memory, and the float parameters.
// A helper stores SEQ into a chunk's state when that chunk's output is written.

const SEQ = 0;
const NEXT = 1;
const STOP = 2;
const KIND = 3;
const CHUNKS = 4;
const CHUNK = 5;
const TOTAL = 6;
const BASE = 7;
const THRESHOLD = 8;
const KEY = 9; // 9..12
const OUT = 13;
const XIN = 14;
const AIN = 15;
const STATES = 16;
const CONTROL_WORDS = 20;
/** Float64 parameters: stddev (Gaussian), alpha and beta (standout). */
const FLOATS = 4;

/** What a job's helpers compute. */
enum Kind {
  DropBits = 0,
  Gaussian = 1,
  Standout = 2,
}

const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const TAG_MASK = 0xfff;

/**
 * Blocks (of four elements) per chunk: a multiple of 36, so a chunk starts on a group of the
 * dropout and standout kernels (9 blocks) and of the Gaussian kernel (16 elements).
 */
export const CHUNK_BLOCKS = 36 * 256;

/** Below this many elements the call runs on the calling thread alone. */
export const DEFAULT_MIN_ELEMENTS = 1 << 18;

/** Elements per job for the kernels whose inputs and outputs go through the shared memory. */
const WINDOW_CHUNKS = 113;

/** How long a job waits for the last job's stragglers before it gives up on the helpers. */
const STALL_MS = 5000;

// The helper's code, run by a Node worker thread (eval) or a browser Worker (blob URL). It gets
// the kernel module (the build importing a shared memory), that memory and the control block.
const HELPER_SOURCE = `"use strict";
const run = (data, post) => {
  const { module, memory, control } = data;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(control);
  const f = new Float64Array(control, ${CONTROL_WORDS * 4}, ${FLOATS});
  post("ready");
  let seen = Atomics.load(c, ${SEQ});
  for (;;) {
    Atomics.wait(c, ${SEQ}, seen);
    if (Atomics.load(c, ${STOP}) !== 0) return;
    const s = Atomics.load(c, ${SEQ});
    if ((s & 1) !== 0) { seen = s; continue; }
    const kind = Atomics.load(c, ${KIND});
    const chunks = Atomics.load(c, ${CHUNKS});
    const chunk = Atomics.load(c, ${CHUNK});
    const total = Atomics.load(c, ${TOTAL});
    const base = Atomics.load(c, ${BASE}) >>> 0;
    const thr = Atomics.load(c, ${THRESHOLD});
    const k0 = Atomics.load(c, ${KEY});
    const k1 = Atomics.load(c, ${KEY + 1});
    const k2 = Atomics.load(c, ${KEY + 2});
    const k3 = Atomics.load(c, ${KEY + 3});
    const out = Atomics.load(c, ${OUT});
    const xin = Atomics.load(c, ${XIN});
    const ain = Atomics.load(c, ${AIN});
    const states = Atomics.load(c, ${STATES}) >>> 2;
    const f0 = f[0];
    const f1 = f[1];
    const f2 = f[2];
    if (Atomics.load(c, ${SEQ}) !== s) continue;
    seen = s;
    const tag = (s >>> 1) & ${TAG_MASK};
    const st = new Int32Array(memory.buffer);
    for (;;) {
      const cur = Atomics.load(c, ${NEXT});
      const i = cur & ${INDEX_MASK};
      if (cur >>> ${INDEX_BITS} !== tag || i >= chunks) break;
      if (Atomics.compareExchange(c, ${NEXT}, cur, cur + 1) !== cur) continue;
      const start = i * chunk;
      const count = Math.min(chunk, total - start);
      const g = base + start;
      if (kind === ${Kind.DropBits}) {
        k.dropBits(out + start / 4, g / 4, Math.ceil(count / 4), thr, k0, k1, k2, k3);
      } else if (kind === ${Kind.Gaussian}) {
        k.gaussianDropout(xin + 4 * start, out + 4 * start, count, f0, k0, k1, k2, k3, g / 16);
      } else {
        k.standout(xin + 4 * start, ain + 4 * start, out + 4 * start, count, f1, f2, k0, k1, k2, k3, g / 36);
      }
      Atomics.store(st, states + i, s);
      Atomics.notify(st, states + i);
    }
  }
};
if (typeof process === "object" && process.versions && process.versions.node) {
  const { parentPort } = require("node:worker_threads");
  parentPort.once("message", (data) => run(data, (m) => parentPort.postMessage(m)));
} else {
  self.onmessage = (e) => run(e.data, (m) => self.postMessage(m));
}
`;

/** The part of a Node or browser worker the pool uses. */
interface HelperHandle {
  post(message: unknown): void;
  onReady(resolve: () => void, reject: (err: Error) => void): void;
  terminate(): void;
}

const WORKER_THREADS = 'node:worker_threads';

interface NodeWorker {
  postMessage(message: unknown): void;
  once(event: string, listener: (value: unknown) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node ===
  'string';

async function spawnHelper(): Promise<HelperHandle> {
  if (isNode()) {
    const { Worker } = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ WORKER_THREADS
    )) as {
      Worker: new (code: string, options: { eval: true }) => NodeWorker;
    };
    const w = new Worker(HELPER_SOURCE, { eval: true });
    // A helper waits in Atomics.wait between calls; it must not keep the process alive.
    w.unref();
    return {
      post: (m) => w.postMessage(m),
      onReady: (resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', (e) => reject(e as Error));
        w.once('exit', () => reject(new Error('the helper thread exited')));
      },
      terminate: () => void w.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (m) => w.postMessage(m),
    onReady: (resolve, reject) => {
      w.onmessage = () => resolve();
      w.onerror = (e) => reject(new Error(e.message));
    },
    terminate: () => w.terminate(),
  };
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function blockingAllowed(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why helper threads cannot run here, or null when they can. */
export function kernelThreadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') {
    return 'SharedArrayBuffer is not available (a browser page needs cross-origin isolation: COOP and COEP headers)';
  }
  if (!isNode() && typeof Worker === 'undefined') return 'this context cannot start a Worker';
  return null;
}

/** Copies `count` float32 values between two memories (byte offsets `to` and `from`). */
function copyFloats(
  toBuffer: ArrayBufferLike,
  to: number,
  fromBuffer: ArrayBufferLike,
  from: number,
  count: number,
): void {
  new Float32Array(toBuffer, to, count).set(new Float32Array(fromBuffer, from, count));
}

/** What a call on the tfjs heap needs: the caller's kernel instance and the backend's heap. */
export interface HeapAccess {
  readonly kernels: KernelExports;
  /** The tfjs wasm memory (views are taken after any allocation). */
  readonly memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** One job: a window of a tensor, what the helpers compute, and what the caller does. */
interface Job {
  readonly kind: Kind;
  /** Elements in the window, and the window's first element in the tensor. */
  readonly n: number;
  readonly base: number;
  readonly threshold: number;
  readonly key: readonly [number, number, number, number];
  readonly floats: readonly [number, number, number];
  /** Copies the window's inputs to the shared memory at these byte offsets (not for DropBits). */
  readonly stage: (xin: number, ain: number) => void;
  /** The fused kernel in place on tfjs's heap for `count` elements from window element `start`. */
  readonly fused: (start: number, count: number) => void;
  /**
   * Applies a helper's chunk from the shared memory (its output at byte offset `at`, in
   * `shared`) to tfjs's heap.
   */
  readonly apply: (start: number, count: number, shared: ArrayBuffer, at: number) => void;
}

/**
 * A pool of helper threads for dropout, Gaussian dropout and standout: see the comment at the
 * top of this file.
 */
export class KernelThreads {
  /** Calls with fewer elements run on the calling thread alone. */
  minElements = DEFAULT_MIN_ELEMENTS;
  /** Blocks per chunk (a multiple of 36); changed by tests to exercise many chunks. */
  chunkBlocks = CHUNK_BLOCKS;
  /** How long a job waits for the last job's stragglers before it gives up on the helpers. */
  stallMs = STALL_MS;
  private readonly control: Int32Array;
  private readonly canBlock = blockingAllowed();
  private broken = false;
  /** Chunks of the last job (sequence stragglersSeq) run by the caller while a helper held them. */
  private readonly stragglers: number[] = [];
  private stragglersSeq = 0;
  /** Jobs the helpers took part in, and chunks they did: for tests and the bench. */
  readonly stats = { jobs: 0, helperChunks: 0, callerChunks: 0, stolenChunks: 0 };

  private readonly floats: Float64Array;

  private constructor(
    readonly size: number,
    private readonly memory: WebAssembly.Memory,
    private readonly helpers: HelperHandle[],
    control: SharedArrayBuffer,
  ) {
    this.control = new Int32Array(control, 0, CONTROL_WORDS);
    this.floats = new Float64Array(control, CONTROL_WORDS * 4, FLOATS);
  }

  /**
   * Starts `size` helpers on `module` (the kernel build importing a shared memory).
   *
   * @throws DropkitError when a helper fails to start within 20 s.
   */
  static async start(size: number, module: WebAssembly.Module): Promise<KernelThreads> {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4 + FLOATS * 8);
    const helpers: HelperHandle[] = [];
    try {
      for (let i = 0; i < size; i++) helpers.push(await spawnHelper());
      await Promise.all(
        helpers.map(
          (h) =>
            new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000);
              h.onReady(
                () => {
                  clearTimeout(timer);
                  resolve();
                },
                (e) => {
                  clearTimeout(timer);
                  reject(e);
                },
              );
              h.post({ module, memory, control });
            }),
        ),
      );
    } catch (err) {
      for (const h of helpers) h.terminate();
      throw new DropkitError(
        `dropkit: the wasm kernel's helper threads did not start (${(err as Error).message})`,
      );
    }
    return new KernelThreads(size, memory, helpers, control);
  }

  /** Whether the pool can take calls (it stops after a helper stalls, or after stop()). */
  get usable(): boolean {
    return !this.broken && this.helpers.length > 0;
  }

  /** Ends the helpers. */
  stop(): void {
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, SEQ, 2);
    Atomics.notify(this.control, SEQ);
    for (const h of this.helpers) h.terminate();
    this.helpers.length = 0;
  }

  /**
   * Dropout of n float32 elements at byte offset x of tfjs's heap into out, with the caller
   * and the helpers sharing the chunks. The values are those of `kernels.dropout(x, out, n, ...)`.
   */
  dropout(
    heap: HeapAccess,
    x: number,
    out: number,
    n: number,
    threshold: number,
    scale: number,
    key: readonly [number, number, number, number],
  ): void {
    const k = heap.kernels;
    const [k0, k1, k2, k3] = key;
    this.bitsJob(
      heap,
      n,
      threshold,
      key,
      (e, c) => k.dropout(x + 4 * e, out + 4 * e, c, threshold, scale, k0, k1, k2, k3, e / 4),
      (e, c, bits) => k.applyDropBits(x + 4 * e, out + 4 * e, bits, c, scale),
    );
  }

  /**
   * Alpha dropout of n float32 elements (the mask in x's shape); the values are those of
   * `kernels.alphaDropout(x, out, n, threshold, a, b, alphaP, ...)`.
   */
  alphaDropout(
    heap: HeapAccess,
    x: number,
    out: number,
    n: number,
    threshold: number,
    coefficients: { readonly a: number; readonly b: number; readonly alphaP: number },
    key: readonly [number, number, number, number],
  ): void {
    const k = heap.kernels;
    const [k0, k1, k2, k3] = key;
    const { a, b, alphaP } = coefficients;
    this.bitsJob(
      heap,
      n,
      threshold,
      key,
      (e, c) =>
        k.alphaDropout(x + 4 * e, out + 4 * e, c, threshold, a, b, alphaP, k0, k1, k2, k3, e / 32),
      (e, c, bits) => k.applyAlphaBits(x + 4 * e, out + 4 * e, bits, c, a, b, alphaP),
    );
  }

  /**
   * A kernel whose mask is dropout's (drop bits from the helpers): `fused(e, c)` runs it in
   * place on c elements from element e (the whole tensor, when the pool gives up, is
   * fused(0, n)); `apply(e, c, bits)` applies the bits at byte offset `bits` of tfjs's heap.
   */
  private bitsJob(
    heap: HeapAccess,
    n: number,
    threshold: number,
    key: readonly [number, number, number, number],
    fused: (e: number, c: number) => void,
    apply: (e: number, c: number, bits: number) => void,
  ): void {
    if (!this.drain()) {
      fused(0, n);
      return;
    }
    const scratch = heap.malloc(this.chunkBlocks + 16) >>> 0;
    if (scratch === 0) throw new DropkitError('dropkit: the wasm heap could not allocate 9 KiB');
    try {
      this.run({
        kind: Kind.DropBits,
        n,
        base: 0,
        threshold,
        key,
        floats: [0, 0, 0],
        stage: () => {},
        fused,
        apply: (start, count, shared, at) => {
          const bytes = Math.ceil(count / 4);
          new Uint8Array(heap.memory.buffer, scratch, bytes).set(new Uint8Array(shared, at, bytes));
          apply(start, count, scratch);
        },
      });
    } finally {
      heap.free(scratch);
    }
  }

  /**
   * Gaussian dropout of n float32 elements at byte offset x of tfjs's heap into out; the
   * values are those of `kernels.gaussianDropout(x, out, n, stddev, ...)`.
   */
  gaussianDropout(
    heap: HeapAccess,
    x: number,
    out: number,
    n: number,
    stddev: number,
    key: readonly [number, number, number, number],
  ): void {
    const k = heap.kernels;
    const [k0, k1, k2, k3] = key;
    this.copyThrough(heap, Kind.Gaussian, n, [x], out, key, [stddev, 0, 0], (e, c) =>
      k.gaussianDropout(x + 4 * e, out + 4 * e, c, stddev, k0, k1, k2, k3, e / 16),
    );
  }

  /**
   * Standout of n float32 elements (x and the pre-activation a, byte offsets on tfjs's heap)
   * into out; the values are those of `kernels.standout(x, a, out, n, alpha, beta, ...)`.
   */
  standout(
    heap: HeapAccess,
    x: number,
    a: number,
    out: number,
    n: number,
    alpha: number,
    beta: number,
    key: readonly [number, number, number, number],
  ): void {
    const k = heap.kernels;
    const [k0, k1, k2, k3] = key;
    this.copyThrough(heap, Kind.Standout, n, [x, a], out, key, [0, alpha, beta], (e, c) =>
      k.standout(x + 4 * e, a + 4 * e, out + 4 * e, c, alpha, beta, k0, k1, k2, k3, e / 36),
    );
  }

  /**
   * A kernel whose inputs and outputs go through the shared memory: `inputs` are the byte
   * offsets on tfjs's heap of x (and standout's a), `fused(e, c)` runs the kernel in place on
   * c elements from element e (the whole tensor, when the pool gives up, is fused(0, n)).
   */
  private copyThrough(
    heap: HeapAccess,
    kind: Kind,
    n: number,
    inputs: readonly number[],
    out: number,
    key: readonly [number, number, number, number],
    floats: readonly [number, number, number],
    fused: (e: number, c: number) => void,
  ): void {
    this.windows(
      n,
      (base, count) =>
        this.run({
          kind,
          n: count,
          base,
          threshold: 0,
          key,
          floats,
          stage: (xin, ain) =>
            inputs.forEach((p, j) => {
              copyFloats(
                this.memory.buffer,
                j === 0 ? xin : ain,
                heap.memory.buffer,
                p + 4 * base,
                count,
              );
            }),
          fused: (start, c) => fused(base + start, c),
          apply: (start, c, shared, at) =>
            copyFloats(heap.memory.buffer, out + 4 * (base + start), shared, at, c),
        }),
      () => fused(0, n),
    );
  }

  /**
   * Runs `job` on each window of the tensor in turn; when the pool gives up before one, `alone`
   * does the whole tensor on the calling thread instead (the same values as the windows done).
   */
  private windows(n: number, job: (base: number, count: number) => void, alone: () => void): void {
    const window = WINDOW_CHUNKS * this.chunkBlocks * 4;
    for (let base = 0; base < n; base += window) {
      if (!this.drain()) {
        alone();
        return;
      }
      job(base, Math.min(window, n - base));
    }
  }

  /** One job: publishes it, shares its chunks with the helpers, and collects theirs. */
  private run(job: Job): void {
    const { kind, n } = job;
    const cb = this.chunkBlocks;
    const chunkElements = cb * 4;
    const chunks = Math.ceil(n / chunkElements);
    if (chunks > INDEX_MASK) throw new DropkitError(`dropkit: ${n} elements is too many chunks`);
    // Shared memory: chunk states, then the helpers' outputs, then the inputs they read.
    const align = (b: number) => Math.ceil(b / 16) * 16;
    const statesBytes = align(chunks * 4);
    const outBytes = kind === Kind.DropBits ? chunks * cb : align(n * 4);
    const inBytes = kind === Kind.DropBits ? 0 : align(n * 4);
    const outAt = statesBytes;
    const xAt = outAt + outBytes;
    const aAt = xAt + inBytes;
    const need = aAt + (kind === Kind.Standout ? inBytes : 0);
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / 65536));
    job.stage(xAt, aAt);
    const c = this.control;
    const [k0, k1, k2, k3] = job.key;
    // The job's parameters, behind an odd SEQ.
    const seq = Atomics.load(c, SEQ) + 2;
    Atomics.store(c, SEQ, seq - 1);
    Atomics.store(c, KIND, kind);
    Atomics.store(c, CHUNKS, chunks);
    Atomics.store(c, CHUNK, chunkElements);
    Atomics.store(c, TOTAL, n);
    Atomics.store(c, BASE, job.base);
    Atomics.store(c, THRESHOLD, job.threshold);
    Atomics.store(c, KEY, k0);
    Atomics.store(c, KEY + 1, k1);
    Atomics.store(c, KEY + 2, k2);
    Atomics.store(c, KEY + 3, k3);
    Atomics.store(c, OUT, outAt);
    Atomics.store(c, XIN, xAt);
    Atomics.store(c, AIN, aAt);
    Atomics.store(c, STATES, 0);
    this.floats.set(job.floats);
    const tag = ((seq >>> 1) & TAG_MASK) << INDEX_BITS;
    Atomics.store(c, NEXT, tag);
    Atomics.store(c, SEQ, seq);
    Atomics.notify(c, SEQ);
    this.stats.jobs++;

    const shared = this.memory.buffer as unknown as ArrayBuffer;
    const states = new Int32Array(shared, 0, chunks);
    // 0: not taken by the caller; 1: the caller ran it; 2: a helper's output was applied.
    const done = new Uint8Array(chunks);
    const count = (i: number) => Math.min(chunkElements, n - i * chunkElements);
    // Where chunk i's helper output is: bits (one byte per block) or float32 values.
    const outOf = (i: number) => outAt + (kind === Kind.DropBits ? i * cb : i * chunkElements * 4);
    const fused = (i: number) => {
      job.fused(i * chunkElements, count(i));
      done[i] = 1;
      this.stats.callerChunks++;
    };
    const apply = (i: number) => {
      job.apply(i * chunkElements, count(i), shared, outOf(i));
      done[i] = 2;
      this.stats.helperChunks++;
    };
    // Chunks below `low` are all done; applies every helper chunk that is ready.
    let low = 0;
    const applyReady = (claimed: number) => {
      for (let i = low; i < claimed; i++) {
        if (done[i] === 0 && Atomics.load(states, i) === seq) apply(i);
        if (i === low && done[i] !== 0) low++;
      }
    };
    for (;;) {
      const cur = Atomics.load(c, NEXT);
      const i = cur & INDEX_MASK;
      if (i >= chunks) break;
      if (Atomics.compareExchange(c, NEXT, cur, cur + 1) !== cur) continue;
      fused(i);
      applyReady(i);
    }
    // The helpers' last chunks: those done are applied; one still in a helper's hands (its
    // thread may have been descheduled: on a busy machine for milliseconds) is run here
    // instead, and its helper is waited for only before the next job reuses the memory.
    for (let i = low; i < chunks; i++) {
      if (done[i] !== 0) continue;
      if (Atomics.load(states, i) === seq) {
        apply(i);
        continue;
      }
      fused(i);
      this.stats.stolenChunks++;
      this.stragglers.push(i);
    }
    this.stragglersSeq = seq;
  }

  /**
   * Waits for the chunks of the last job that a helper still held when the caller ran them
   * itself; false (and the pool stopped) when one is not done within stallMs.
   */
  private drain(): boolean {
    if (this.broken) return false;
    if (this.stragglers.length > 0) {
      const states = new Int32Array(this.memory.buffer);
      for (const i of this.stragglers) {
        if (!this.waitFor(states, i, this.stragglersSeq)) {
          this.stop();
          return false;
        }
      }
      this.stragglers.length = 0;
    }
    return true;
  }

  /** Waits for chunk i's state to become seq; false (and the pool broken) after stallMs. */
  private waitFor(states: Int32Array, i: number, seq: number): boolean {
    const start = performance.now();
    for (;;) {
      const v = Atomics.load(states, i);
      if (v === seq) return true;
      if (performance.now() - start > this.stallMs) {
        this.broken = true;
        return false;
      }
      if (this.canBlock) Atomics.wait(states, i, v, 50);
    }
  }
}

let pool: KernelThreads | null = null;

/** The running pool, or null when there is none or it stopped. */
export function activeKernelThreads(): KernelThreads | null {
  return pool?.usable ? pool : null;
}

/**
 * Makes the pool have `size` helpers: starts one (after stopping a pool of another size), or
 * stops it for 0. Returns the pool, or null for 0.
 */
export async function setKernelThreads(
  size: number,
  module: () => Promise<WebAssembly.Module>,
): Promise<KernelThreads | null> {
  const current = activeKernelThreads();
  if (current !== null && current.size === size) return current;
  stopKernelThreads();
  if (size === 0) return null;
  pool = await KernelThreads.start(size, await module());
  return pool;
}

/**
 * Stops the helper threads of the wasm dropout kernel, if any run; later calls run on the
 * calling thread alone until `initWasm` starts them again.
 *
 * @example
 * ```ts
 * import { stopKernelThreads } from '@dropkit/backend-wasm';
 * stopKernelThreads();
 * ```
 */
export function stopKernelThreads(): void {
  pool?.stop();
  pool = null;
}

/** What {@link kernelThreadsInfo} reports. */
export interface KernelThreadsInfo {
  /** Helper threads running. */
  readonly helpers: number;
  /** Calls the helpers were offered (those of 2^18 elements or more). */
  readonly jobs: number;
  /** Chunks whose bits a helper computed and the calling thread applied. */
  readonly helperChunks: number;
  /** Chunks the calling thread ran with the fused kernel. */
  readonly callerChunks: number;
  /** Of those, the chunks a helper still held when the rest was done. */
  readonly stolenChunks: number;
}

/**
 * The helper threads of the wasm dropout kernel and what they have done since they started, or
 * null when none run (not started, `kernelThreads: 0`, stopped, or no SharedArrayBuffer here).
 *
 * @returns a snapshot of the counts.
 * @example
 * ```ts
 * import { initWasm, kernelThreadsInfo } from '@dropkit/backend-wasm';
 * await initWasm({ kernelThreads: 1 });
 * console.log(kernelThreadsInfo()?.helpers); // 1
 * ```
 */
export function kernelThreadsInfo(): KernelThreadsInfo | null {
  const active = activeKernelThreads();
  return active === null ? null : { helpers: active.size, ...active.stats };
}
