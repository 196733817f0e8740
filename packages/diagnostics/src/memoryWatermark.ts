import { memory } from '@tensorflow/tfjs-core';

/** A running maximum of `tf.memory()` readings, relative to the reading when it started. */
export interface MemoryWatermark {
  readonly baseTensors: number;
  readonly baseBytes: number;
  peakTensors: number;
  peakBytes: number;
}

const active: MemoryWatermark[] = [];

/**
 * Records the current tensor count and bytes into every open watermark. The measurements call it
 * where their live tensors peak: right after each forward pass (activations alive for the
 * backward pass) and after each gradient. `tf.profile` would give the exact peak but times and
 * downloads every kernel; this costs one `tf.memory()` call and gives a lower bound.
 */
export function noteMemory(): void {
  if (active.length === 0) return;
  const m = memory();
  for (const w of active) {
    if (m.numTensors > w.peakTensors) w.peakTensors = m.numTensors;
    if (m.numBytes > w.peakBytes) w.peakBytes = m.numBytes;
  }
}

/** Opens a watermark at the current reading. */
export function openWatermark(): MemoryWatermark {
  const m = memory();
  const w = {
    baseTensors: m.numTensors,
    baseBytes: m.numBytes,
    peakTensors: m.numTensors,
    peakBytes: m.numBytes,
  };
  active.push(w);
  return w;
}

/** Closes a watermark and returns the peak extra tensors and bytes it saw. */
export function closeWatermark(w: MemoryWatermark): { peakTensors: number; peakBytes: number } {
  noteMemory();
  const i = active.indexOf(w);
  if (i >= 0) active.splice(i, 1);
  return { peakTensors: w.peakTensors - w.baseTensors, peakBytes: w.peakBytes - w.baseBytes };
}
