import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  condensationProbe,
  createRecorder,
  type DiagnosticsRecord,
  distanceFromInitProbe,
  gradientDirectionProbe,
  gradientNoiseProbe,
  gradientNorm,
  gradientNormProbe,
  hessianTopEigenvalueProbe,
  hessianTraceProbe,
  type Objective,
  type Probe,
  parseJsonl,
  seriesOf,
  sharpnessProbe,
} from '../src/index.js';

/** 0.5 ||w||^2 with w halved by each "training step": the gradient norm is ||w||. */
function halving() {
  const w = tf.variable(tf.tensor1d([3, 4]), true, `recW${Math.random()}`);
  const objective: Objective = {
    params: [w],
    loss: () => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar,
  };
  const trainStep = () => tf.tidy(() => w.assign(tf.mul(w, 0.5)));
  return { w, objective, trainStep };
}

const data = () => ({ xs: tf.zeros([2, 1]), ys: tf.zeros([2]) });

describeWithBackends('createRecorder', ({ it }) => {
  it('measures every N steps (and per-probe periods) into an in-memory series, with costs', async () => {
    const { w, objective, trainStep } = halving();
    const batch = data();
    const before = tf.memory().numTensors;
    const recorder = createRecorder({
      target: objective,
      every: 2,
      probes: [gradientNormProbe({ data: batch }), distanceFromInitProbe({ every: 3 })],
    });
    const returned: (DiagnosticsRecord | null)[] = [];
    for (let step = 0; step < 7; step++) {
      returned.push(await recorder.step(step));
      trainStep();
    }
    expect(returned.map((r) => r?.step ?? null)).toEqual([0, null, 2, 3, 4, null, 6]);
    const norms = recorder.series('gradientNorm.total');
    expect(norms.steps).toEqual([0, 2, 4, 6]);
    expect(norms.values).toEqual([5, 5 / 4, 5 / 16, 5 / 64]);
    const distance = recorder.series('distanceFromInit.total');
    expect(distance.steps).toEqual([0, 3, 6]);
    expectClose(distance.values as number[], [0, 5 * (1 - 1 / 8), 5 * (1 - 1 / 64)], {
      rtol: 1e-6,
    });
    const first = recorder.records[0] as DiagnosticsRecord;
    expect(Object.keys(first.costs).sort()).toEqual(['distanceFromInit', 'gradientNorm']);
    for (const cost of Object.values(first.costs)) {
      expect(Number.isFinite(cost.ms) && cost.ms >= 0).toBe(true);
    }
    // The gradient and the loss are alive when the gradient is sampled.
    expect(first.costs.gradientNorm?.peakTensors).toBeGreaterThanOrEqual(2);
    expect(first.costs.gradientNorm?.peakBytes).toBeGreaterThanOrEqual(8);
    // The recorder holds only the W_0 snapshot, freed by dispose.
    expect(tf.memory().numTensors).toBe(before + 1);
    recorder.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(recorder.step(8)).rejects.toThrow(/disposed/);
    tf.dispose([w, batch.xs, batch.ys]);
  });

  it('records the same numbers as the measurement functions', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 2, inputShape: [3], name: 'd' })],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    const batch = {
      xs: tf.randomNormal([6, 3], 0, 1, 'float32', 1),
      ys: tf.randomNormal([6, 2], 0, 1, 'float32', 2),
    };
    const recorder = createRecorder({
      target: model,
      probes: [gradientNormProbe({ data: batch, training: false })],
    });
    const record = await recorder.step(0);
    expect(record?.values.gradientNorm).toEqual(
      await gradientNorm(model, batch, { training: false }),
    );
    recorder.dispose();
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('appends one JSON line per record to a file, keeping what was there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-diag-'));
    try {
      const file = join(dir, 'run.jsonl');
      const earlier = { step: -1, time: 0, values: { note: 'an earlier run' }, costs: {} };
      writeFileSync(file, `${JSON.stringify(earlier)}\n`);
      const { w, objective, trainStep } = halving();
      const batch = data();
      const recorder = createRecorder({
        target: objective,
        file,
        probes: [gradientNormProbe({ data: batch })],
      });
      for (let step = 0; step < 3; step++) {
        await recorder.step(step);
        // Written by the time step() resolves: an interruption now loses nothing measured.
        expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(step + 2);
        trainStep();
      }
      expect(recorder.records).toEqual([]); // a file: nothing kept in memory by default
      const text = readFileSync(file, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const records = parseJsonl(text);
      expect(records.map((r) => r.step)).toEqual([-1, 0, 1, 2]);
      expect(seriesOf(records, 'gradientNorm.total').values).toEqual([5, 2.5, 1.25]);
      // A line cut short by an interrupted write is dropped; every earlier line is kept.
      expect(parseJsonl(`${text}{"step":3,"tim`).map((r) => r.step)).toEqual([-1, 0, 1, 2]);
      expect(() => parseJsonl(`{"step":0\n${text}`)).toThrow(/Line 1/);
      recorder.dispose();
      tf.dispose([w, batch.xs, batch.ys]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('calls a custom sink once per record with one line, in step order', async () => {
    const { w, objective } = halving();
    const batch = data();
    const lines: string[] = [];
    const recorder = createRecorder({
      target: objective,
      probes: [gradientNormProbe({ data: batch })],
      sink: async (line) => {
        await new Promise((r) => setTimeout(r, line.includes('"step":0') ? 20 : 0));
        lines.push(line);
      },
      keepInMemory: true,
    });
    await Promise.all([recorder.step(0), recorder.step(1)]);
    expect(lines.map((l) => (JSON.parse(l) as DiagnosticsRecord).step)).toEqual([0, 1]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(recorder.records).toHaveLength(2);
    recorder.dispose();
    tf.dispose([w, batch.xs, batch.ys]);
  });

  it('plugs into model.fit: step 0 before training, then every N optimizer steps, with the epoch', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu', name: 'h' }),
        tfl.layers.dense({ units: 1, name: 'o' }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.05) });
    const xs = tf.randomNormal([32, 4], 0, 1, 'float32', 3);
    const ys = tf.randomNormal([32, 1], 0, 1, 'float32', 4);
    const probeBatch = { xs: tf.slice(xs, 0, 8), ys: tf.slice(ys, 0, 8) };
    const recorder = createRecorder({
      target: model,
      every: 3,
      probes: [
        gradientNormProbe({ data: probeBatch }),
        distanceFromInitProbe(),
        condensationProbe({
          layer: () => model.getLayer('h') as unknown as tfl.layers.Layer,
          every: 6,
        }),
      ],
    });
    // 2 epochs of 4 batches, then one more fit call: the step count goes on.
    await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: recorder.fitCallback(),
    });
    await model.fit(xs, ys, {
      epochs: 1,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: recorder.fitCallback(),
    });
    expect(recorder.records.map((r) => r.step)).toEqual([0, 3, 6, 9, 12]);
    expect(recorder.records.map((r) => r.epoch)).toEqual([undefined, 0, 1, 0, 0]);
    const distance = recorder.series('distanceFromInit.total').values as number[];
    expect(distance[0]).toBe(0);
    expect(distance.slice(1).every((d) => d > 0)).toBe(true);
    expect(recorder.series('condensation.units').steps).toEqual([0, 6, 12]);
    expect(Object.keys(recorder.series('gradientNorm.byLayer').values[0] as object)).toEqual([
      'h',
      'o',
    ]);
    recorder.dispose();
    tf.dispose([xs, ys, probeBatch.xs, probeBatch.ys]);
    model.dispose();
  });

  it('runs every probe kind and records plain JSON', async () => {
    const w = tf.variable(tf.tensor1d([0.5, -0.3, 0.2]), true, 'recAllW');
    const objective: Objective = {
      params: [w],
      loss: (b) =>
        tf.tidy(() =>
          tf.mean(
            tf.square(
              tf.sub(
                tf.squeeze(tf.matMul(b.xs as tf.Tensor, tf.reshape(w, [-1, 1])), [1]),
                b.ys as tf.Tensor,
              ),
            ),
          ),
        ) as tf.Scalar,
    };
    const batch = {
      xs: tf.randomNormal([8, 3], 0, 1, 'float32', 5),
      ys: tf.randomNormal([8], 0, 1, 'float32', 6),
    };
    const probes: Probe[] = [
      gradientNormProbe({ data: batch }),
      distanceFromInitProbe(),
      gradientDirectionProbe({ batches: [batch, batch, batch], fullData: [batch], k: 3 }),
      gradientNoiseProbe({ data: batch }),
      hessianTopEigenvalueProbe({ data: batch }),
      hessianTraceProbe({ data: batch }),
      sharpnessProbe({ data: batch }),
      condensationProbe({
        layer: {
          kernel: [
            [1, 2],
            [1, 2],
          ],
        },
        includeMatrix: true,
      }),
    ];
    const before = tf.memory().numTensors;
    const recorder = createRecorder({ target: objective, probes });
    const record = (await recorder.step(0)) as DiagnosticsRecord;
    recorder.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(record.values)).toEqual(probes.map((p) => p.name));
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    expect(record.values.hessianTopEigenvalue).toMatchObject({ method: 'exact', check: 'agreed' });
    const cond = record.values.condensation as { clusterCount: number; matrix: number[][] };
    expect(cond.clusterCount).toBe(1);
    expect(cond.matrix[0]?.[1]).toBeCloseTo(1, 12);
    tf.dispose([w, batch.xs, batch.ys]);
  });

  it('throws on a failing probe, or records its error and goes on', async () => {
    const { w, objective } = halving();
    const batch = data();
    const failing: Probe = {
      name: 'broken',
      measure: () => {
        throw new Error('no luck');
      },
    };
    const strict = createRecorder({ target: objective, probes: [failing] });
    await expect(strict.step(0)).rejects.toThrow('no luck');
    const lenient = createRecorder({
      target: objective,
      probes: [failing, gradientNormProbe({ data: batch })],
      onError: 'record',
    });
    const r = (await lenient.step(0)) as DiagnosticsRecord;
    expect(r.errors).toEqual({ broken: 'no luck' });
    expect(r.values.gradientNorm).toBeDefined();
    expect(r.values.broken).toBeUndefined();
    tf.dispose([w, batch.xs, batch.ys]);
  });

  it('rejects bad options naming them', () => {
    const { w, objective } = halving();
    const batch = data();
    const p = gradientNormProbe({ data: batch });
    expect(() => createRecorder({ target: objective, probes: [] })).toThrow(/probes/);
    expect(() => createRecorder({ target: objective, probes: [p, p] })).toThrow(/name/);
    expect(() => createRecorder({ target: objective, probes: [p], every: 0 })).toThrow(/every/);
    expect(() =>
      createRecorder({ target: objective, probes: [p], file: 'x', sink: () => {} }),
    ).toThrow(InvalidArgumentError);
    expect(() => gradientNormProbe({ data: batch, every: 1.5 })).toThrow(/every/);
    expect(() =>
      createRecorder({ target: objective, probes: [p], onError: 'ignore' as 'throw' }),
    ).toThrow(/onError/);
    tf.dispose([w, batch.xs, batch.ys]);
  });
});
