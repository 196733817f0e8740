import { InvalidArgumentError } from '@dropkit/core';
import {
  dropPathRates,
  earlySchedule,
  epochs,
  lateSchedule,
  rampSchedule,
  type Schedule,
  standardSchedule,
  steps,
  toArray,
} from '@dropkit/schedules';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  Dropout,
  DropoutScheduler,
  DropPath,
  RATE_LOG_KEYS,
  type ScheduledRates,
  StochasticDepth,
} from '../src/index.js';
import { AttentionLike, RateRecorder } from './probes.js';

const DEPTH = 3;

/** A small transformer-like model: attention with internal dropout, 3 residual blocks, dropout. */
function buildModel() {
  const recorder = new RateRecorder({});
  const input = tfl.input({ shape: [4, 8] });
  let h = recorder.apply(input) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 8 }).apply(h) as tfl.SymbolicTensor;
  const attention = new AttentionLike({ rate: 0, seed: 1 });
  h = attention.apply(h) as tfl.SymbolicTensor;
  for (let i = 0; i < DEPTH; i++) {
    const branch = tfl.layers
      .dense({ units: 8, activation: 'relu' })
      .apply(h) as tfl.SymbolicTensor;
    const drop =
      i === 1
        ? new StochasticDepth({ rate: 0, seed: 10 + i })
        : new DropPath({ rate: 0, seed: 10 + i });
    h = tfl.layers.add().apply([h, drop.apply(branch) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
  }
  h = new Dropout({ rate: 0, seed: 2 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 1 }).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  recorder.model = model;
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return { model, recorder, attention };
}

const data = (n: number) => ({
  x: tf.randomNormal([n, 4, 8], 0, 1, 'float32', n),
  y: tf.randomNormal([n, 1], 0, 1, 'float32', n + 1),
});

/** Checks the recorded rates step by step against the schedules' values at each global step. */
function expectFollows(
  recorder: RateRecorder,
  attention: AttentionLike,
  dropout: readonly number[],
  dropPath: readonly number[],
) {
  expect(recorder.log).toHaveLength(dropout.length);
  recorder.log.forEach((r, step) => {
    expect(r.dropout, `dropout sites at step ${step}`).toEqual([dropout[step], dropout[step]]);
    expect(r.dropPath, `drop-path sites at step ${step}`).toEqual(
      dropPathRates(dropPath[step] as number, DEPTH),
    );
  });
  expect(attention.seen).toEqual(dropout);
}

describeWithBackends('DropoutScheduler with model.fit', ({ it }) => {
  it('sets early linear dropout and late drop path before every batch, at the global step, epochs from fit', async () => {
    const { model, recorder, attention } = buildModel();
    const { x, y } = data(10); // batch 4: 3 steps per epoch, the last one partial
    const dropout = earlySchedule(0.3, { cutoff: steps(4), shape: 'linear' });
    const dropPath = lateSchedule(0.2, { cutoff: epochs(1) });
    const rates: ScheduledRates[] = [];
    const batchLogs: Record<string, number>[] = [];
    const scheduler = new DropoutScheduler({
      dropout,
      dropPath,
      onRates: (r) => void rates.push(r),
    });
    const history = await model.fit(x, y, {
      batchSize: 4,
      epochs: 3,
      verbose: 0,
      shuffle: false,
      callbacks: [
        scheduler,
        new tfl.CustomCallback({
          onBatchEnd: (_b, logs) => {
            batchLogs.push({ ...(logs as Record<string, number>) });
          },
        }),
      ],
    });
    expect(scheduler.stepsPerEpoch).toBe(3);
    expect(scheduler.step).toBe(9);
    // Early linear: linspace(0.3, 0, 4) then 0. Late: 0 for the first epoch (3 steps), then 0.2.
    const expectedDropout = [0.3, 0.2, 0.1, 0, 0, 0, 0, 0, 0];
    const expectedDropPath = [0, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2];
    toArray(dropout, 9).forEach((r, i) => {
      expect(r).toBeCloseTo(expectedDropout[i] as number, 15);
    });
    expect(toArray(dropPath, 9, { stepsPerEpoch: 3 })).toEqual(expectedDropPath);
    expectFollows(recorder, attention, toArray(dropout, 9), expectedDropPath);
    expect(rates.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rates.map((r) => r.dropPathRates)).toEqual(
      expectedDropPath.map((r) => dropPathRates(r, DEPTH)),
    );
    expect(batchLogs.map((l) => l[RATE_LOG_KEYS.dropout])).toEqual(toArray(dropout, 9));
    expect(batchLogs.map((l) => l[RATE_LOG_KEYS.dropPath])).toEqual(expectedDropPath);
    // History keeps the last step's rates of every epoch (steps 2, 5, 8).
    expect(history.history[RATE_LOG_KEYS.dropPath]).toEqual([0, 0.2, 0.2]);
    expect(history.history[RATE_LOG_KEYS.dropout]).toEqual([toArray(dropout, 9)[2], 0, 0]);
    tf.dispose([x, y]);
  });

  it('keeps counting across fit calls, without leaking, and honours initialStep and stepsPerEpoch', async () => {
    const { model, recorder, attention } = buildModel();
    const { x, y } = data(8);
    const dropout = rampSchedule(0.4, { cutoff: epochs(2) });
    const scheduler = new DropoutScheduler({ dropout, stepsPerEpoch: 4, initialStep: 2 });
    const fit = () =>
      model.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0, callbacks: scheduler });
    await fit(); // the first fit makes the train function
    await expectNoLeaks(async () => {
      await fit();
      await fit();
    });
    expect(scheduler.stepsPerEpoch).toBe(4); // given, not taken from fit's 2 batches per epoch
    expect(scheduler.step).toBe(8);
    const ramp = toArray(dropout, 8, { stepsPerEpoch: 4 }); // linspace(0, 0.4, 8)
    expect(ramp[7]).toBe(0.4);
    expectFollows(recorder, attention, ramp.slice(2, 8), [0, 0, 0, 0, 0, 0]);
    expect(recorder.log[0]?.dropPath).toEqual([0, 0, 0]); // no drop-path schedule: untouched
    tf.dispose([x, y]);
  });

  it('the scheduled dropout is really applied: at rate 0 training equals inference, at 0.5 it does not', async () => {
    const { model } = buildModel();
    const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 3);
    const s = new DropoutScheduler({ dropout: lateSchedule(0.5, { cutoff: steps(1) }) });
    const same = () =>
      tf.tidy(() => {
        const t = model.apply(x, { training: true }) as tf.Tensor;
        return tf.all(tf.equal(t, model.predict(x) as tf.Tensor)).dataSync()[0];
      });
    s.advance(model);
    expect(same()).toBe(1);
    s.advance(model);
    expect(same()).toBe(0);
  });
});

/** A dataset-like object for fitDataset: `iterator()` over `{xs, ys}` batches, fresh each epoch. */
function datasetOf(batches: number, batchSize: number, size?: number) {
  return {
    ...(size === undefined ? {} : { size }),
    iterator: async () => {
      let i = 0;
      return {
        next: async () =>
          i++ < batches
            ? {
                value: {
                  xs: tf.randomNormal([batchSize, 4, 8], 0, 1, 'float32', i),
                  ys: tf.randomNormal([batchSize, 1], 0, 1, 'float32', i + 100),
                },
                done: false,
              }
            : { value: null, done: true },
      };
    },
  };
}

type FitDataset = Parameters<tfl.LayersModel['fitDataset']>[0];

describeWithBackends('DropoutScheduler with model.fitDataset', ({ it }) => {
  it('schedules per batch over a dataset-like {iterator()}, epochs resolved from its size', async () => {
    const { model, recorder, attention } = buildModel();
    const dropPath: Schedule = earlySchedule(0.3, { cutoff: epochs(1), shape: 'linear' });
    const dropout: Schedule = standardSchedule(0.1, { warmup: steps(2) });
    const scheduler = new DropoutScheduler({ dropout, dropPath });
    await model.fitDataset(datasetOf(3, 2, 3) as unknown as FitDataset, {
      epochs: 2,
      verbose: 0,
      callbacks: [scheduler],
    });
    expect(scheduler.stepsPerEpoch).toBe(3);
    const expectedPath = toArray(dropPath, 6, { stepsPerEpoch: 3 }); // linspace(0.3, 0, 3), then 0
    expect(expectedPath).toEqual([0.3, 0.15, 0, 0, 0, 0]);
    expectFollows(recorder, attention, [0, 0.05, 0.1, 0.1, 0.1, 0.1], expectedPath);
  });

  it('takes batchesPerEpoch as the epoch length; without any, a schedule in epochs is an error', async () => {
    const { model, recorder } = buildModel();
    const scheduler = new DropoutScheduler({ dropout: lateSchedule(0.25, { cutoff: epochs(1) }) });
    await model.fitDataset(datasetOf(100, 2) as unknown as FitDataset, {
      epochs: 2,
      batchesPerEpoch: 2,
      verbose: 0,
      callbacks: [scheduler],
    });
    expect(recorder.log.map((r) => r.dropout[0])).toEqual([0, 0, 0.25, 0.25]);
    const unsized = new DropoutScheduler({ dropout: lateSchedule(0.25, { cutoff: epochs(1) }) });
    await expect(
      buildModel().model.fitDataset(datasetOf(2, 2) as unknown as FitDataset, {
        epochs: 1,
        verbose: 0,
        callbacks: [unsized],
      }),
    ).rejects.toThrow(/Invalid stepsPerEpoch/);
  });
});

describeWithBackends('DropoutScheduler API', ({ it }) => {
  it('validates its options', () => {
    expect(() => new DropoutScheduler({})).toThrow(InvalidArgumentError);
    expect(
      () =>
        new DropoutScheduler({
          dropout: { mode: 'early', rate: 0.1, shape: 'linear' } as Schedule,
        }),
    ).toThrow(/Invalid schedule/);
    expect(
      () => new DropoutScheduler({ dropout: standardSchedule(0.1), stepsPerEpoch: 0 }),
    ).toThrow(/Invalid stepsPerEpoch/);
    expect(() => new DropoutScheduler({ dropout: standardSchedule(0.1), initialStep: -1 })).toThrow(
      /Invalid initialStep/,
    );
    const s = new DropoutScheduler({ dropout: standardSchedule(0.1) });
    expect(() => {
      s.step = 1.5;
    }).toThrow(/Invalid step/);
  });

  it('ratesAt is pure; applyAt sets a model and remembers the last rates', () => {
    const s = new DropoutScheduler({
      dropout: earlySchedule(0.2, { cutoff: steps(2) }),
      dropPath: lateSchedule(0.4, { cutoff: steps(1) }),
    });
    expect(s.ratesAt(0)).toEqual({ dropout: 0.2, dropPath: 0 });
    expect(s.ratesAt(5)).toEqual({ dropout: 0, dropPath: 0.4 });
    expect(s.step).toBe(0);
    const layers = [new DropPath({ rate: 0 }), new Dropout({ rate: 0 }), new DropPath({ rate: 0 })];
    expect(s.applyAt(layers, 1)).toEqual({
      step: 1,
      dropout: 0.2,
      dropPath: 0.4,
      dropPathRates: [0, 0.4],
    });
    expect(layers.map((l) => l.rate)).toEqual([0, 0.2, 0.4]);
    expect(s.last?.step).toBe(1);
    expect(s.step).toBe(0);
  });
});
