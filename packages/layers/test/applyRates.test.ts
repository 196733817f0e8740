import { InvalidArgumentError } from '@dropkit/core';
import { dropPathRates, earlySchedule, rateAt, steps } from '@dropkit/schedules';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  applyRates,
  DropBlock2D,
  Dropout,
  DropoutScheduler,
  DropPath,
  findDropoutSites,
  GaussianDropout,
  isDropoutSiteContainer,
  MCDropout,
  Standout,
  StochasticDepth,
} from '../src/index.js';
import { AttentionLike, RateRecorder } from './probes.js';

/** An outer functional model around a nested sequential one, a wrapper and a container layer. */
function nestedModel() {
  const inner = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 6, inputShape: [3, 6] }),
      new DropPath({ rate: 0.9, name: 'inner_path_1' }),
      new Dropout({ rate: 0.9, name: 'inner_dropout' }),
      new DropPath({ rate: 0.9, name: 'inner_path_2' }),
    ],
  });
  const input = tfl.input({ shape: [3, 6] });
  let h = new StochasticDepth({ rate: 0.9, name: 'outer_path_0' }).apply(
    input,
  ) as tfl.SymbolicTensor;
  h = inner.apply(h) as tfl.SymbolicTensor;
  h = new AttentionLike({ rate: 0.9 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .timeDistributed({ layer: new GaussianDropout({ rate: 0.9, name: 'wrapped_gaussian' }) })
    .apply(h) as tfl.SymbolicTensor;
  h = new Standout().apply(h) as tfl.SymbolicTensor;
  h = new DropPath({ rate: 0.9, name: 'outer_path_3' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: h });
}

describeWithBackends('applyRates', ({ it }) => {
  it('finds every site in layer order: nested models, wrappers and DropoutSiteContainer layers', () => {
    const model = nestedModel();
    const attention = model.layers.find((l) => l instanceof AttentionLike) as AttentionLike;
    expect(isDropoutSiteContainer(attention)).toBe(true);
    expect(findDropoutSites(model).map((s) => s.name)).toEqual([
      'outer_path_0',
      'inner_path_1',
      'inner_dropout',
      'inner_path_2',
      attention.attentionDropout.name,
      'wrapped_gaussian',
      'outer_path_3',
    ]);
  });

  it('sets every dropout site to the rate and the drop-path sites to linspace(0, rate, depth) in order', () => {
    const model = nestedModel();
    const applied = applyRates(model, { dropout: 0.25, dropPath: 0.3 });
    expect(applied.dropout).toBe(0.25);
    expect(applied.dropPath).toHaveLength(4);
    const expected = [0, 0.1, 0.2, 0.3];
    applied.dropPath?.forEach((r, i) => {
      expect(r).toBeCloseTo(expected[i] as number, 15);
    });
    const sites = findDropoutSites(model);
    expect(sites.filter((s) => s.dropoutSite === 'dropout').map((s) => s.rate)).toEqual([
      0.25, 0.25, 0.25,
    ]);
    expect(sites.filter((s) => s.dropoutSite === 'dropPath').map((s) => s.rate)).toEqual(
      applied.dropPath,
    );
    expect(applied.dropPath).toEqual(dropPathRates(0.3, 4));
  });

  it('leaves a kind that is not given untouched, and validates before changing anything', () => {
    const model = nestedModel();
    expect(applyRates(model, { dropPath: 0.2 })).toEqual({ dropPath: dropPathRates(0.2, 4) });
    const dropoutRates = () =>
      findDropoutSites(model)
        .filter((s) => s.dropoutSite === 'dropout')
        .map((s) => s.rate);
    expect(dropoutRates()).toEqual([0.9, 0.9, 0.9]);
    expect(applyRates(model, { dropout: 0 })).toEqual({ dropout: 0 });
    expect(() => applyRates(model, { dropout: 0.5, dropPath: 1 })).toThrow(
      /Invalid dropPath: received 1/,
    );
    expect(() => applyRates(model, { dropout: Number.NaN })).toThrow(InvalidArgumentError);
    expect(dropoutRates()).toEqual([0, 0, 0]);
    expect(applyRates(model, {})).toEqual({});
  });

  it('lists a shared layer once; takes a layer or a list; a model without drop-path sites gets []', () => {
    const shared = new Dropout({ rate: 0.1, name: 'shared' });
    const input = tfl.input({ shape: [4] });
    const a = shared.apply(input) as tfl.SymbolicTensor;
    const b = shared.apply(a) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: b });
    expect(findDropoutSites(model).map((s) => s.name)).toEqual(['shared']);
    expect(applyRates(model, { dropPath: 0.3 })).toEqual({ dropPath: [] });
    const single = new DropPath({ rate: 0.5 });
    expect(applyRates(single, { dropPath: 0.3 })).toEqual({ dropPath: [0] }); // depth 1: linspace gives 0
    const list = [new MCDropout({ rate: 0 }), new DropBlock2D({ rate: 0, blockSize: 2 })];
    applyRates(list, { dropout: 0.15 });
    expect(list.map((l) => l.rate)).toEqual([0.15, 0.15]);
  });

  it('drives a custom tf.variableGrads training loop, step by step, with no leaks', async () => {
    const recorder = new RateRecorder({});
    const input = tfl.input({ shape: [3, 6] });
    let h = recorder.apply(input) as tfl.SymbolicTensor;
    h = tfl.layers.dense({ units: 6 }).apply(h) as tfl.SymbolicTensor;
    h = new AttentionLike({ rate: 0, seed: 3 }).apply(h) as tfl.SymbolicTensor;
    for (const seed of [4, 6]) {
      const branch = tfl.layers.dense({ units: 6 }).apply(h) as tfl.SymbolicTensor;
      const dropped = new DropPath({ rate: 0, seed }).apply(branch) as tfl.SymbolicTensor;
      h = tfl.layers.add().apply([h, dropped]) as tfl.SymbolicTensor;
    }
    h = new Dropout({ rate: 0, seed: 5 }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: h });
    recorder.model = model;
    const optimizer = tf.train.sgd(0.05);
    const x = tf.randomNormal([4, 3, 6], 0, 1, 'float32', 1);
    const y = tf.zeros([4, 3, 6]);
    const schedule = earlySchedule(0.4, { cutoff: steps(3), shape: 'linear' });
    const scheduler = new DropoutScheduler({ dropout: schedule, dropPath: schedule });
    const step = () =>
      tf.tidy(() => {
        scheduler.advance(model);
        const { value, grads } = tf.variableGrads(
          () =>
            tf.losses.meanSquaredError(
              y,
              model.apply(x, { training: true }) as tf.Tensor,
            ) as tf.Scalar,
        );
        optimizer.applyGradients(grads);
        return value.dataSync()[0] as number;
      });
    step(); // the optimizer makes its state on the first step
    await expectNoLeaks(() => {
      for (let i = 1; i < 5; i++) expect(Number.isFinite(step())).toBe(true);
    });
    const expected = [0, 1, 2, 3, 4].map((s) => rateAt(schedule, s));
    expect(expected.slice(0, 3)).toEqual([0.4, 0.2, 0]);
    expect(recorder.log.map((r) => r.dropout)).toEqual(expected.map((r) => [r, r]));
    expect(recorder.log.map((r) => r.dropPath)).toEqual(expected.map((r) => [0, r]));
    const attention = model.layers.find((l) => l instanceof AttentionLike) as AttentionLike;
    expect(attention.seen).toEqual(expected);
    tf.dispose([x, y]);
    optimizer.dispose();
  });

  it('an inference pass after applyRates is unaffected: rates change only training passes', () => {
    const model = nestedModel();
    applyRates(model, { dropout: 0.5, dropPath: 0.5 });
    const x = tf.randomNormal([2, 3, 6], 0, 1, 'float32', 7);
    const a = model.predict(x) as tf.Tensor;
    applyRates(model, { dropout: 0, dropPath: 0 });
    const b = model.predict(x) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const s = new Standout();
    expect(findDropoutSites(s)).toEqual([]);
  });
});
