import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type DiagnosticsLogRecord,
  type EpochRecord,
  OutputWriteError,
  type ProgressEvent,
  readCheckpoint,
  readRunLog,
  run,
  type StepRecord,
} from '../src/index.js';
import { tempDir, tinyConfig } from './helpers.js';

describe('run', () => {
  it('writes one JSONL line per step and epoch, diagnostics every N steps, and checkpoints every N steps', async () => {
    const dir = join(tempDir(), 'run');
    const events: ProgressEvent[] = [];
    const before = tf.memory().numTensors;
    const result = await run(tinyConfig(), { outDir: dir, onProgress: (e) => events.push(e) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.status).toBe('completed');
    expect(result.step).toBe(24);
    const records = readRunLog(dir);
    const steps = records.filter((r): r is StepRecord => r.type === 'step');
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // early:0.3:linear:cutoff=2ep over 8 steps an epoch: 0.3 falling to 0 at step 15, then 0.
    expect(steps[0]?.dropout).toBe(0.3);
    expect(steps[15]?.dropout).toBe(0);
    expect(steps[23]?.dropout).toBe(0);
    for (let i = 1; i < 16; i++) {
      expect(steps[i]?.dropout as number).toBeLessThan(steps[i - 1]?.dropout as number);
    }
    for (const s of steps) expect(Number.isFinite(s.loss)).toBe(true);
    const epochs = records.filter((r): r is EpochRecord => r.type === 'epoch');
    expect(epochs.map((e) => e.step)).toEqual([8, 16, 24]);
    for (const e of epochs) {
      expect(e.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.testAccuracy).toBeLessThanOrEqual(1);
    }
    const diags = records.filter((r): r is DiagnosticsLogRecord => r.type === 'diagnostics');
    expect(diags.map((d) => d.step)).toEqual([0, 4, 8, 12, 16, 20]);
    const first = diags[0] as { distance: number; gradientNorm: number; gdv: number; gde: number };
    expect(first.distance).toBe(0);
    expect(first.gradientNorm).toBeGreaterThan(0);
    expect(first.gdv).toBeGreaterThan(0);
    expect(first.gde).toBeGreaterThan(0);
    // Checkpoints at multiples of 3 and at the end; the last one marks the run complete.
    const cps = events.flatMap((e) => (e.type === 'checkpoint' ? [e.step] : []));
    expect(cps).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 24]);
    const cp = readCheckpoint(join(dir, 'checkpoint.bin'));
    expect(cp?.complete).toBe(true);
    expect(cp?.logBytes).toBe(readFileSync(join(dir, 'log.jsonl')).length);
    expect(Object.keys(cp?.generators ?? {})).toEqual(['hidden0/drop', 'hidden1/drop']);
    // Each seeded dropout layer drew one mask per step it was on (rate > 0: steps 0..14).
    expect(cp?.generators['hidden0/drop']?.nextStream).toBe(15);
    expect(cp?.optimizer[0]?.name).toBe('iter');
    expect(Array.from(cp?.optimizer[0]?.values ?? [])).toEqual([24]);
    expect(Object.keys(cp?.optimizerExtras ?? {}).sort()).toEqual(['accBeta1', 'accBeta2']);
  });

  it('is reproducible from the seed, and a different seed gives a different run', async () => {
    const config = tinyConfig({
      diagnostics: undefined,
      training: { epochs: 1, batchSize: 16 },
      schedule: { dropout: 'standard:0.2' },
    });
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    const c = join(tempDir(), 'c');
    await run(config, { outDir: a });
    await run(config, { outDir: b });
    await run({ ...config, seed: 2 }, { outDir: c });
    const log = (d: string) => readFileSync(join(d, 'log.jsonl'), 'utf8');
    expect(log(a)).toBe(log(b));
    const losses = (d: string) => readRunLog(d).flatMap((r) => (r.type === 'step' ? [r.loss] : []));
    expect(losses(c)).not.toEqual(losses(a));
  });

  it('stops on the signal after the step in flight, checkpoints, and resumes to the same log in-process', async () => {
    const config = tinyConfig();
    const reference = join(tempDir(), 'ref');
    await run(config, { outDir: reference });
    const expected = readFileSync(join(reference, 'log.jsonl'), 'utf8');
    // A random step, one whose checkpoint lands on a diagnostics step (4), and an epoch end (8).
    for (const stopAt of [1 + Math.floor(Math.random() * 20), 3, 7]) {
      const dir = join(tempDir(), 'run');
      const controller = new AbortController();
      const first = await run(config, {
        outDir: dir,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'step' && e.step === stopAt) controller.abort();
        },
      });
      expect(first.status).toBe('interrupted');
      expect(first.step).toBe(stopAt + 1);
      expect(readCheckpoint(join(dir, 'checkpoint.bin'))?.step).toBe(stopAt + 1);
      const second = await run(config, { outDir: dir });
      expect(second.resumed).toBe(true);
      expect(second.status).toBe('completed');
      expect(readFileSync(join(dir, 'log.jsonl'), 'utf8'), `stopped after step ${stopAt}`).toBe(
        expected,
      );
      // A finished run called again returns at once, without touching the log.
      const third = await run(config, { outDir: dir });
      expect(third.status).toBe('completed');
      expect(third.lastEpoch).toEqual(second.lastEpoch);
    }
  });

  it('refuses to resume a directory holding another config', async () => {
    const dir = join(tempDir(), 'run');
    const controller = new AbortController();
    controller.abort();
    await run(tinyConfig({ diagnostics: undefined }), { outDir: dir, signal: controller.signal });
    await expect(
      run(tinyConfig({ seed: 9, diagnostics: undefined }), { outDir: dir }),
    ).rejects.toThrow(/holds a run of another config/);
    // resume: false starts over.
    const fresh = await run(tinyConfig({ seed: 9, diagnostics: undefined }), {
      outDir: dir,
      resume: false,
    });
    expect(fresh.resumed).toBe(false);
    expect(fresh.status).toBe('completed');
  });
});

describe('output errors', () => {
  it('an output directory that cannot be created gives an OutputWriteError naming the path and the OS error', async () => {
    const root = tempDir();
    // A regular file where a parent directory should be: mkdir fails even for root.
    writeFileSync(join(root, 'file'), 'x');
    const outDir = join(root, 'file', 'run');
    const err = await run(tinyConfig(), { outDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).path).toBe(outDir);
    expect((err as OutputWriteError).code).toBe('ENOTDIR');
    expect((err as Error).message).toBe(
      `Cannot create the output directory ${outDir}: ENOTDIR (not a directory).`,
    );
  });

  it('a full disk while checkpointing gives an OutputWriteError and keeps the last good checkpoint', async () => {
    const dir = join(tempDir(), 'run');
    mkdirSync(dir);
    const path = join(dir, 'checkpoint.bin');
    let good: Buffer | undefined;
    const err = await run(tinyConfig({ diagnostics: undefined }), {
      outDir: dir,
      onProgress: (e) => {
        if (e.type === 'checkpoint' && e.step === 6) {
          good = readFileSync(path);
          // From now on the checkpoint's temporary file is /dev/full: every write gets ENOSPC.
          symlinkSync('/dev/full', `${path}.tmp`);
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).code).toBe('ENOSPC');
    expect((err as Error).message).toBe(
      `Cannot write the checkpoint ${path}: ENOSPC (no space left on device). The last good checkpoint is kept.`,
    );
    expect(readFileSync(path).equals(good as Buffer)).toBe(true);
    expect(readCheckpoint(path)?.step).toBe(6);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    // The run resumes from that checkpoint once the disk has room again.
    const resumed = await run(tinyConfig({ diagnostics: undefined }), { outDir: dir });
    expect(resumed.resumed).toBe(true);
    expect(resumed.status).toBe('completed');
  });
});
