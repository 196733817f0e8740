import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { batchSizeOf, objectiveFromModel, toObjective } from '../src/index.js';

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describeWithBackends('objectiveFromModel', ({ it }) => {
  it('is what model.fit minimizes: mean loss plus regularization, dropout per the flag', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dropout({ rate: 0.5, inputShape: [4] }),
        tfl.layers.dense({
          units: 2,
          name: 'reg',
          kernelInitializer: 'ones',
          biasInitializer: 'zeros',
          kernelRegularizer: tfl.regularizers.l2({ l2: 0.1 }),
        }),
      ],
    });
    model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
    // Every row sums to an odd number, and dropout at 0.5 doubles the kept inputs, so no mask
    // reproduces the inference loss (checked over all 2^12 masks): a training-mode loss equal
    // to it can only mean dropout was off.
    const x = [
      [1, 2, 3, 5],
      [0, 1, 0, 2],
      [2, 0, 1, 2],
    ];
    const t = [
      [1, 0],
      [0, 1],
      [2, 2],
    ];
    const batch = { xs: tf.tensor2d(x), ys: tf.tensor2d(t) };
    const objective = objectiveFromModel(model);
    expect(objective.groups).toEqual(['reg', 'reg']);
    expect(objective.params).toHaveLength(2);
    // Inference: y = sum(x) on both outputs; MSE over B x 2, plus 0.1 * sum(W^2) = 0.1 * 8.
    const mse =
      x.reduce((s, r, e) => {
        const y = r.reduce((a, v) => a + v, 0);
        return s + (y - (t[e]?.[0] as number)) ** 2 + (y - (t[e]?.[1] as number)) ** 2;
      }, 0) / 6;
    const off = await expectNoLeaks(() => value(objective.loss(batch, false)));
    expectClose(off, mse + 0.8, { rtol: 1e-6 });
    // model.evaluate agrees on the data term (it leaves out the penalty).
    const evaluated = model.evaluate(batch.xs, batch.ys) as tf.Scalar;
    expectClose(value(evaluated), mse, { rtol: 1e-6 });
    const noReg = objectiveFromModel(model, { includeRegularization: false });
    expectClose(value(noReg.loss(batch, false)), mse, { rtol: 1e-6 });
    // Training: dropout draws masks, so the loss moves.
    const on = new Set(Array.from({ length: 5 }, () => value(objective.loss(batch, true))));
    expect(on.has(off)).toBe(false);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('sums the per-output losses of a multi-output model, with one loss or one per output', () => {
    const input = tfl.input({ shape: [2] });
    const a = tfl.layers
      .dense({ units: 1, name: 'a', kernelInitializer: 'ones', useBias: false })
      .apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers
      .dense({ units: 1, name: 'b', kernelInitializer: 'zeros', useBias: false })
      .apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: [a, b] });
    model.compile({ loss: ['meanSquaredError', 'meanAbsoluteError'], optimizer: 'sgd' });
    const batch = {
      xs: tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      ys: [tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [-1]])],
    };
    // a = x1 + x2 = 3, 7 against 0: MSE 29; b = 0 against 1, -1: MAE 1.
    expectClose(value(objectiveFromModel(model).loss(batch, false)), 30, { rtol: 1e-6 });
    const custom = objectiveFromModel(model, { loss: (y, p) => tf.abs(tf.sub(y, p)) });
    expectClose(value(custom.loss(batch, false)), 5 + 1, { rtol: 1e-6 });
    expect(() => custom.loss({ xs: batch.xs, ys: batch.ys[0] as tf.Tensor }, false)).toThrow(
      /batch.ys/,
    );
    const three = objectiveFromModel(model, {
      loss: [
        (y, p) => tf.abs(tf.sub(y, p)),
        (y, p) => tf.abs(tf.sub(y, p)),
        (y, p) => tf.abs(tf.sub(y, p)),
      ],
    });
    expect(() => three.loss(batch, false)).toThrow(/options.loss/);
    tf.dispose([batch.xs, ...batch.ys]);
    model.dispose();
  });

  it('looks the compiled loss up when called: uncompiled is an error then, compiled later is fine', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })],
    });
    const batch = { xs: tf.tensor2d([[2]]), ys: tf.tensor2d([[0]]) };
    expect(() => objectiveFromModel(model, { loss: 3 as never })).toThrow(/options.loss/);
    expect(() => objectiveFromModel(model, { loss: [] })).toThrow(/options.loss/);
    const objective = objectiveFromModel(model);
    expect(objective.params).toHaveLength(2);
    const before = tf.memory().numTensors;
    expect(() => objective.loss(batch, false)).toThrow(InvalidArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    model.compile({ loss: 'meanAbsoluteError', optimizer: 'sgd' });
    expectClose(value(objective.loss(batch, false)), 2, { rtol: 1e-6 });
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('toObjective validates objectives and passes models through objectiveFromModel', () => {
    const w = tf.variable(tf.ones([2]), true, 'toObjW');
    const ints = tf.variable(tf.ones([2], 'int32'), true, 'toObjI');
    expect(toObjective({ params: [w], loss: () => tf.sum(w) as tf.Scalar }).params[0]).toBe(w);
    expect(() => toObjective({ params: [ints], loss: () => tf.sum(w) as tf.Scalar })).toThrow(
      /dtype/,
    );
    expect(() =>
      toObjective({ params: [tf.ones([1]) as tf.Variable], loss: () => tf.sum(w) as tf.Scalar }),
    ).toThrow(/tf.Variable/);
    expect(() => toObjective(null as never)).toThrow(/target/);
    tf.dispose([w, ints]);
  });
});

describeWithBackends('batchSizeOf', ({ it }) => {
  it('reads the example axis and checks the tensors agree on it', () => {
    const a = tf.zeros([3, 2]);
    const b = tf.zeros([3]);
    const c = tf.zeros([4]);
    expect(batchSizeOf({ xs: [a, a], ys: b })).toBe(3);
    expect(() => batchSizeOf({ xs: a, ys: c })).toThrow(/example axis/);
    expect(() => batchSizeOf({ xs: tf.scalar(1), ys: b })).toThrow(/batch.xs.shape/);
    expect(() => batchSizeOf({ xs: a } as never)).toThrow(/batch/);
    tf.dispose([a, b, c]);
  });
});
