import { InvalidArgumentError } from '@dropkit/core';
import { alphaDropoutCoefficients } from '@dropkit/ops';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  AlphaDropout,
  alphaDropout,
  DropBlock2D,
  DropConnectDense,
  Dropout,
  DropPath,
  dropBlock2d,
  dropConnectDense,
  dropout,
  dropPath,
  GaussianDropout,
  gaussianDropout,
  isDropoutSite,
  MCDropout,
  mcDropout,
  probDropBlock2d,
  SpatialDropout1D,
  SpatialDropout2D,
  Standout,
  StochasticDepth,
  spatialDropout1d,
  spatialDropout2d,
  spatialDropout3d,
  standout,
  stochasticDepth,
} from '../src/index.js';
import {
  createGenerator,
  expectBinomial,
  expectSameValues,
  inputFor,
  keptOf,
  LAYER_CASES,
  train,
} from './helpers.js';

describeWithBackends('every layer', ({ it }) => {
  for (const c of LAYER_CASES) {
    it(`${c.className}: in training equals its op with a fresh generator of the layer's seed, call after call`, async () => {
      const layer = c.make(77);
      const x = inputFor(c.shape);
      // Builds DropConnectDense's weights before the leak check (MC dropout would take a stream).
      if (c.className === 'DropkitDropConnectDense') layer.apply(x);
      await expectNoLeaks(() => {
        const g = createGenerator(77);
        for (let call = 0; call < 3; call++) {
          tf.tidy(() => expectSameValues(train(layer, x), c.reference(layer, x, g)));
        }
      });
      expect(layer.getClassName()).toBe(c.className);
      if (c.site) {
        expect(isDropoutSite(layer)).toBe(true);
        expect((layer as unknown as { dropoutSite: string }).dropoutSite).toBe(c.site);
      } else {
        expect(isDropoutSite(layer)).toBe(false);
      }
    });

    it(`${c.className}: inference is ${c.inference === 'identity' ? 'the identity' : c.inference === 'noise' ? 'still noisy' : 'x * p'}`, async () => {
      const layer = c.make(5);
      const x = inputFor(c.shape, 2);
      layer.apply(x);
      await expectNoLeaks(() =>
        tf.tidy(() => {
          for (const kwargs of [undefined, { training: false }]) {
            const y = layer.apply(x, kwargs) as tf.Tensor;
            if (c.className === 'DropkitDropConnectDense') {
              const [kernel, bias] = layer.getWeights() as [tf.Tensor, tf.Tensor];
              expectSameValues(y, tf.relu(tf.add(tf.matMul(x, kernel), bias)));
            } else if (c.inference === 'identity') {
              expectSameValues(y, x);
            } else if (c.inference === 'noise') {
              expect(keptOf(y)).not.toEqual(keptOf(x));
            } else {
              // Standout's test-time rule: x * sigmoid(alpha x + beta) with alpha 0.5, beta 0.2.
              expectClose(
                y.dataSync(),
                tf.mul(x, tf.sigmoid(tf.add(tf.mul(x, 0.5), 0.2))).dataSync(),
              );
            }
          }
        }),
      );
    });

    it(`${c.className}: gradients flow in training mode: one optimizer step changes the weights before it`, async () => {
      const inputShape = c.shape.slice(1);
      // Seed 9 keeps StochasticDepth's whole-batch branch at both steps; a dropped branch passes
      // no gradient, rightly (the dx = y / x test below covers that case).
      const layer = c.make(9);
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ units: inputShape.at(-1) as number, inputShape, useBias: false }),
          layer,
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 1 }),
        ].filter((l) => !(inputShape.length === 1 && l.getClassName() === 'Flatten')),
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = inputFor(c.shape, 4);
      const y = tf.ones([c.shape[0] as number, 1]);
      const before = model.layers[0]?.getWeights()[0]?.dataSync().slice() as Float32Array;
      await model.trainOnBatch(x, y); // the first step makes the train function
      await expectNoLeaks(async () => {
        const loss = (await model.trainOnBatch(x, y)) as number;
        expect(Number.isFinite(loss)).toBe(true);
      });
      const after = model.layers[0]?.getWeights()[0]?.dataSync() as Float32Array;
      let changed = 0;
      for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed++;
      expect(changed).toBeGreaterThan(after.length / 2);
      if (c.className === 'DropkitDropConnectDense') {
        expect(model.layers[1]?.trainableWeights.map((w) => w.originalName)).toEqual([
          expect.stringMatching(/kernel$/),
          expect.stringMatching(/bias$/),
        ]);
      }
      model.dispose();
      x.dispose();
      y.dispose();
    });
  }

  it('the gradient through each multiplicative layer is its own mask: dx = y / x (alpha dropout: a where kept)', async () => {
    for (const c of LAYER_CASES) {
      if (c.className === 'DropkitDropConnectDense') continue; // its mask is on the weights
      const x = inputFor(c.shape, 6);
      await expectNoLeaks(() =>
        tf.tidy(() => {
          // Two layers with one seed draw the same masks: one runs forward, the other is differentiated.
          const y = train(c.make(11), x);
          const dx = tf.grad((t: tf.Tensor) => tf.sum(train(c.make(11), t)))(x);
          if (c.className === 'DropkitAlphaDropout') {
            const { a, b } = alphaDropoutCoefficients(0.2);
            const kept = tf.less(tf.abs(tf.sub(y, tf.add(tf.mul(x, a), b))), 1e-4);
            expectClose(
              dx.dataSync(),
              tf.where(kept, tf.fill(x.shape, a), tf.zerosLike(x)).dataSync(),
            );
          } else {
            expectClose(dx.dataSync(), tf.div(y, x).dataSync(), { atol: 1e-5, rtol: 1e-5 });
          }
          expect(dx.dataSync().some((v) => v !== 0)).toBe(true);
        }),
      );
    }
  });
});

describeWithBackends('rates', ({ it }) => {
  it('a new rate takes effect on the next call: the dropped fraction follows it', () => {
    const layer = new Dropout({ rate: 0.1, seed: 1 });
    const x = tf.ones([20_000]);
    for (const rate of [0.1, 0.7, 0.3]) {
      layer.rate = rate;
      const dropped = keptOf(train(layer, x)).filter((k) => k === 0).length;
      expectBinomial(dropped, 20_000, rate);
    }
    layer.rate = 0;
    expectSameValues(train(layer, x), x);
  });

  it('every rate is validated on construction and on set, naming the parameter', () => {
    const makers = [
      (rate: number) => new Dropout({ rate }),
      (rate: number) => new SpatialDropout1D({ rate }),
      (rate: number) => new GaussianDropout({ rate }),
      (rate: number) => new AlphaDropout({ rate }),
      (rate: number) => new DropConnectDense({ units: 2, rate }),
      (rate: number) => new DropBlock2D({ rate, blockSize: 2 }),
      (rate: number) => new MCDropout({ rate }),
      (rate: number) => new DropPath({ rate }),
      (rate: number) => new StochasticDepth({ rate }),
    ];
    for (const make of makers) {
      const dropPathLike = ['DropkitDropPath', 'DropkitStochasticDepth'].includes(
        make(0).getClassName(),
      );
      for (const bad of [-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => make(bad)).toThrow(InvalidArgumentError);
      }
      if (dropPathLike) expect(make(1).getConfig().rate).toBe(1);
      else expect(() => make(1)).toThrow(/expected a number in \[0, 1\)/);
      const layer = make(0.2) as unknown as { rate: number };
      expect(() => {
        layer.rate = Number.NaN;
      }).toThrow(/Invalid rate: received NaN; expected a number in \[0, 1/);
      expect(layer.rate).toBe(0.2);
      layer.rate = 0.6;
      expect(layer.rate).toBe(0.6);
    }
  });

  it('rejects bad options with InvalidArgumentError naming them', () => {
    expect(() => new Dropout({ rate: 0.1, seed: -1 })).toThrow(/Invalid seed/);
    expect(() => new Dropout({ rate: 0.1, seed: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new Dropout({ rate: 0.1, noiseShape: [0, 1] })).toThrow(/Invalid noiseShape/);
    expect(() => new SpatialDropout2D({ rate: 0.1, dataFormat: 'NHWC' as 'channelsLast' })).toThrow(
      /Invalid dataFormat/,
    );
    expect(() => new DropBlock2D({ rate: 0.1, blockSize: 0 })).toThrow(/Invalid blockSize/);
    expect(() => new DropBlock2D({ rate: 0.1, dataFormat: 'NWHC' as 'NHWC' })).toThrow(
      /Invalid dataFormat/,
    );
    expect(() => new DropBlock2D({ rate: 0.1, perChannel: 'yes' as unknown as boolean })).toThrow(
      /Invalid perChannel/,
    );
    expect(() => new StochasticDepth({ rate: 0.1, mode: 'col' as 'row' })).toThrow(/Invalid mode/);
    expect(() => new Standout({ alpha: Number.NaN })).toThrow(/Invalid alpha/);
    const s = new Standout();
    expect(() => {
      s.beta = Number.POSITIVE_INFINITY;
    }).toThrow(/Invalid beta/);
    // A block larger than the map is the op's error, at call time.
    expect(() => train(new DropBlock2D({ rate: 0.1 }), tf.ones([1, 4, 4, 1]))).toThrow(
      /Invalid blockSize: received 7/,
    );
  });

  it('DropPath and StochasticDepth accept a rate of 1: every branch dropped', () => {
    expect(Array.from(train(new DropPath({ rate: 1 }), tf.ones([4, 2])).dataSync())).toEqual(
      new Array(8).fill(0),
    );
    expect(Array.from(train(new StochasticDepth({ rate: 1 }), tf.ones([2])).dataSync())).toEqual([
      0, 0,
    ]);
  });
});

describeWithBackends('seeds', ({ it }) => {
  const model = (seed: number) =>
    tfl.sequential({
      layers: [
        new Dropout({ rate: 0.5, seed, inputShape: [64] }),
        new DropPath({ rate: 0.5, seed: seed + 1 }),
      ],
    });

  it('two models with the same seeds draw the same sequence of masks; consecutive steps differ', async () => {
    const x = tf.ones([8, 64]);
    const a = model(42);
    const b = model(42);
    const c = model(43);
    await expectNoLeaks(() => {
      const seqA: number[][] = [];
      for (let step = 0; step < 4; step++) {
        const ya = a.apply(x, { training: true }) as tf.Tensor;
        const yb = b.apply(x, { training: true }) as tf.Tensor;
        const yc = c.apply(x, { training: true }) as tf.Tensor;
        expect(keptOf(yb)).toEqual(keptOf(ya));
        expect(keptOf(yc)).not.toEqual(keptOf(ya));
        seqA.push(keptOf(ya));
        tf.dispose([ya, yb, yc]);
      }
      for (let i = 1; i < seqA.length; i++) expect(seqA[i]).not.toEqual(seqA[i - 1]);
    });
  });

  it("tfjs-layers' own seeded Dropout repeats one mask every step (the trap these layers avoid)", () => {
    const x = tf.ones([1, 256]);
    const theirs = tfl.layers.dropout({ rate: 0.5, seed: 42 });
    const first = keptOf(theirs.apply(x, { training: true }) as tf.Tensor);
    const second = keptOf(theirs.apply(x, { training: true }) as tf.Tensor);
    expect(second).toEqual(first);
    expect(first.includes(0) && first.includes(1)).toBe(true);
    const ours = new Dropout({ rate: 0.5, seed: 42 });
    expect(keptOf(train(ours, x))).not.toEqual(keptOf(train(ours, x)));
  });

  it('without a seed each layer draws from the default generator: calls differ', () => {
    const layer = new Dropout({ rate: 0.5 });
    const x = tf.ones([256]);
    expect(layer.seed).toBeUndefined();
    expect(keptOf(train(layer, x))).not.toEqual(keptOf(train(layer, x)));
  });

  it('a generator restored from a saved state continues the sequence', async () => {
    const { Generator } = await import('@dropkit/ops');
    const layer = new Dropout({ rate: 0.5, seed: 9 });
    const x = tf.ones([256]);
    train(layer, x);
    const state = layer.generator?.state;
    const next = keptOf(train(layer, x));
    const resumed = new Dropout({ rate: 0.5, seed: 9 });
    resumed.generator = Generator.fromState(state as { seed: number; nextStream: number });
    expect(keptOf(train(resumed, x))).toEqual(next);
  });
});

describeWithBackends('layer specifics', ({ it }) => {
  it('factories make the same classes as the constructors', () => {
    const made = [
      [dropout({ rate: 0.1 }), Dropout],
      [spatialDropout1d({ rate: 0.1 }), SpatialDropout1D],
      [spatialDropout2d({ rate: 0.1 }), SpatialDropout2D],
      [gaussianDropout({ rate: 0.1 }), GaussianDropout],
      [alphaDropout({ rate: 0.1 }), AlphaDropout],
      [dropConnectDense({ units: 2, rate: 0.1 }), DropConnectDense],
      [dropBlock2d({ rate: 0.1 }), DropBlock2D],
      [dropPath({ rate: 0.1 }), DropPath],
      [stochasticDepth({ rate: 0.1 }), StochasticDepth],
      [mcDropout({ rate: 0.1 }), MCDropout],
      [standout(), Standout],
    ] as const;
    for (const [layer, cls] of made) expect(layer).toBeInstanceOf(cls);
    expect(spatialDropout3d({ rate: 0.1 }).getClassName()).toBe('DropkitSpatialDropout3D');
    expect(probDropBlock2d({ rate: 0.1 }).getClassName()).toBe('DropkitProbDropBlock2D');
    expect(probDropBlock2d({ rate: 0.1 })).toBeInstanceOf(DropBlock2D);
  });

  it('spatial dropout checks the input rank when the layer is built', () => {
    expect(() => new SpatialDropout2D({ rate: 0.1 }).apply(tf.ones([2, 3, 4]))).toThrow(/ndim=4/);
  });

  it('Standout keeps x by the probabilities of a given pre-activation [x, a]', () => {
    const layer = new Standout({ seed: 2 });
    const x = tf.fill([1, 4], 3);
    const a = tf.tensor2d([[-40, 40, -40, 40]]);
    expect(Array.from(train(layer, [x, a]).dataSync())).toEqual([0, 3, 0, 3]);
    expectClose((layer.apply([x, a]) as tf.Tensor).dataSync(), [0, 3, 0, 3]);
    expect(() => layer.apply([x, a, a])).toThrow(InvalidArgumentError);
    const input = tfl.input({ shape: [4] });
    const out = layer.apply([input, input]) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 4]);
  });

  it('Standout keeps a unit with probability sigmoid(alpha a + beta)', () => {
    const n = 20_000;
    const layer = new Standout({ alpha: 2, beta: -1, seed: 3 });
    const kept = keptOf(train(layer, tf.fill([n], 0.5))).reduce((s, k) => s + k, 0);
    expectBinomial(kept, n, 1 / (1 + Math.exp(-(2 * 0.5 - 1))));
  });

  it("DropConnectDense's kernel gradient is masked by the same weights its forward pass dropped", async () => {
    const make = () =>
      new DropConnectDense({
        units: 50,
        rate: 0.4,
        seed: 8,
        kernelInitializer: 'ones',
        useBias: false,
      });
    const forward = make();
    const differentiated = make();
    const x = tf.ones([1, 4]);
    differentiated.apply(x); // builds the kernel variables before the leak check
    forward.apply(x);
    await expectNoLeaks(() =>
      tf.tidy(() => {
        // Row i of the kernel, read through a one-hot input: mask[i, j] / (1 - rate), or 0.
        const masked = train(forward, tf.eye(4));
        const kernel = differentiated.trainableWeights[0]?.read() as tf.Variable;
        const { grads } = tf.variableGrads(
          () => tf.sum(train(differentiated, x)) as tf.Scalar,
          [kernel],
        );
        // d sum(x . K m s) / dK = x^T . 1 * m * s, and x is all ones.
        expectClose((grads[kernel.name] as tf.Tensor).dataSync(), masked.dataSync());
        expect(masked.dataSync().some((v) => v === 0)).toBe(true);
      }),
    );
  });

  it('DropConnectDense drops kernel weights, one mask per call shared by the batch; the bias stays', () => {
    const layer = new DropConnectDense({
      units: 200,
      rate: 0.5,
      seed: 4,
      useBias: true,
      kernelInitializer: 'ones',
      biasInitializer: 'zeros',
    });
    // One-hot rows read single kernel rows: output (i, j) is kernel[i, j] * mask[i, j] * 2.
    const rows = train(layer, tf.eye(3)).arraySync() as number[][];
    const flat = rows.flat();
    expect(flat.every((v) => v === 0 || v === 2)).toBe(true);
    expectBinomial(flat.filter((v) => v === 0).length, flat.length, 0.5);
    const twice = train(layer, tf.concat([tf.eye(3), tf.eye(3)])).arraySync() as number[][];
    expect(twice.slice(3)).toEqual(twice.slice(0, 3));
    layer.setWeights([tf.ones([3, 200]), tf.fill([200], 5)]);
    expect(
      (train(layer, tf.zeros([1, 3])).arraySync() as number[][])[0]?.every((v) => v === 5),
    ).toBe(true);
  });
});
