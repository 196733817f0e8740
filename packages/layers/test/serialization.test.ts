import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect } from 'vitest';
import {
  AlphaDropout,
  DropBlock2D,
  DropConnectDense,
  Dropout,
  DropPath,
  GaussianDropout,
  MCDropout,
  ProbDropBlock2D,
  registerLayers,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  Standout,
  StochasticDepth,
} from '../src/index.js';
import { fileSystemIO, registerFileSystemRouter } from '../src/node.js';
import { expectSameValues, inputFor, LAYER_CASES } from './helpers.js';

type LayerClass = (new (args: never) => tfl.layers.Layer) & { className: string };

const CLASSES: readonly LayerClass[] = [
  Dropout,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  GaussianDropout,
  AlphaDropout,
  DropConnectDense,
  DropBlock2D,
  ProbDropBlock2D,
  DropPath,
  StochasticDepth,
  MCDropout,
  Standout,
];

/** A functional model with every layer of the package, all seeded, rates changed after build. */
function everyLayerModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 4] });
  let h = new SpatialDropout2D({ rate: 0.1, seed: 1 }).apply(input) as tfl.SymbolicTensor;
  h = new DropBlock2D({ rate: 0.1, blockSize: 3, seed: 2 }).apply(h) as tfl.SymbolicTensor;
  h = new ProbDropBlock2D({ rate: 0.1, blockSize: 2, perChannel: false, seed: 3 }).apply(
    h,
  ) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [64, 4] }).apply(h) as tfl.SymbolicTensor;
  h = new SpatialDropout1D({ rate: 0.1, seed: 4 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [2, 4, 8, 4] }).apply(h) as tfl.SymbolicTensor;
  h = new SpatialDropout3D({ rate: 0.1, dataFormat: 'channelsFirst', seed: 5 }).apply(
    h,
  ) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = new Dropout({ rate: 0.2, noiseShape: [null, 1], seed: 6 }).apply(h) as tfl.SymbolicTensor;
  h = new GaussianDropout({ rate: 0.2, seed: 7 }).apply(h) as tfl.SymbolicTensor;
  h = new AlphaDropout({ rate: 0.2, seed: 8 }).apply(h) as tfl.SymbolicTensor;
  h = new DropConnectDense({ units: 16, rate: 0.3, activation: 'tanh', seed: 9 }).apply(
    h,
  ) as tfl.SymbolicTensor;
  const branch = tfl.layers.dense({ units: 16, activation: 'relu' }).apply(h) as tfl.SymbolicTensor;
  const dropped = new DropPath({ rate: 0.2, seed: 10 }).apply(branch) as tfl.SymbolicTensor;
  h = tfl.layers.add().apply([h, dropped]) as tfl.SymbolicTensor;
  h = new StochasticDepth({ rate: 0.2, mode: 'batch', seed: 11 }).apply(h) as tfl.SymbolicTensor;
  h = new MCDropout({ rate: 0.25, seed: 12 }).apply(h) as tfl.SymbolicTensor;
  h = new Standout({ alpha: 0.5, beta: 1, seed: 13 }).apply(h) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 3 }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

/** Each layer's class name and config, without its (process-unique) name. */
function configsOf(model: tfl.LayersModel) {
  return model.layers.map((l) => ({ cls: l.getClassName(), config: l.getConfig() }));
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeWithBackends('serialization', ({ it }) => {
  it('registerLayers registers every class once, under a Dropkit name, and is idempotent', () => {
    const names = registerLayers();
    expect(registerLayers()).toBe(names);
    expect([...names].sort()).toEqual(CLASSES.map((c) => c.className).sort());
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const cls of CLASSES) {
      expect(cls.className.startsWith('Dropkit')).toBe(true);
      expect(map[cls.className]?.[0]).toBe(cls);
    }
  });

  for (const c of LAYER_CASES) {
    it(`${c.className}: getConfig round-trips through fromConfig`, () => {
      const layer = c.make(21);
      if (c.site) (layer as unknown as { rate: number }).rate = 0.35; // a changed rate is saved
      const config = layer.getConfig();
      const entry = tf.serialization.SerializationMap.getMap().classNameMap[c.className];
      expect(entry).toBeDefined();
      const [cls, fromConfig] = entry as NonNullable<typeof entry>;
      // Deserializing Dense's initializers writes into the config given (tfjs-layers does so for
      // its own Dense too), so the copy is made from a clone.
      const copy = fromConfig(cls, structuredClone(config)) as tfl.layers.Layer;
      expect(copy.getClassName()).toBe(c.className);
      expect(copy.getConfig()).toEqual(config);
      if (c.site) expect(config.rate).toBe(0.35);
      expect(config.seed).toBe(21);
    });
  }

  it('a model with every layer saves and reloads through the memory handler with identical inference', async () => {
    const model = everyLayerModel();
    const x = inputFor([2, 8, 8, 4], 3);
    const expected = [model.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(configsOf(loaded)).toEqual(configsOf(model));
    const weights = loaded.getWeights();
    model.getWeights().forEach((w, i) => {
      expectSameValues(weights[i] as tf.Tensor, w);
    });
    // MC dropout draws at inference: the reloaded seed restarts at stream 0, as the original did.
    await expectNoLeaks(() => {
      const got = [loaded.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expectSameValues(got[0] as tf.Tensor, expected[0] as tf.Tensor);
      expectSameValues(got[1] as tf.Tensor, expected[1] as tf.Tensor);
      const same = tf.tidy(
        () => tf.all(tf.equal(got[0] as tf.Tensor, got[1] as tf.Tensor)).dataSync()[0],
      );
      expect(same).toBe(0);
      tf.dispose(got);
    });
  });

  it('and through the file system handler: model.json + weights.bin, loaded from the directory or its model.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-layers-'));
    dirs.push(dir);
    const model = everyLayerModel();
    const x = inputFor([2, 8, 8, 4], 4);
    const expected = model.predict(x) as tf.Tensor;
    const result = await model.save(fileSystemIO(join(dir, 'm')));
    expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
    const json = JSON.parse(readFileSync(join(dir, 'm', 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(JSON.stringify(json.modelTopology)).toContain('DropkitProbDropBlock2D');
    expect(readFileSync(join(dir, 'm', 'weights.bin')).byteLength).toBe(
      result.modelArtifactsInfo.weightDataBytes,
    );
    for (const path of [join(dir, 'm'), join(dir, 'm', 'model.json'), `file://${dir}/m`]) {
      const loaded = await tfl.loadLayersModel(fileSystemIO(path));
      expect(configsOf(loaded)).toEqual(configsOf(model));
      expectSameValues(loaded.predict(x) as tf.Tensor, expected);
    }
  });

  it('registerFileSystemRouter routes file:// URLs to the file handler, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dropkit-layers-'));
    dirs.push(dir);
    expect(registerFileSystemRouter()).toBe(true);
    expect(registerFileSystemRouter()).toBe(false);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 3, inputShape: [2] }), new Dropout({ rate: 0.3 })],
    });
    await model.save(`file://${dir}/r`);
    expect(existsSync(join(dir, 'r', 'model.json'))).toBe(true);
    const loaded = await tfl.loadLayersModel(`file://${dir}/r/model.json`);
    const x = tf.ones([1, 2]);
    expectSameValues(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor);
    expect((loaded.layers[1] as Dropout).rate).toBe(0.3);
  });

  it('the file handler reports a missing model with InvalidArgumentError', async () => {
    await expect(
      tfl.loadLayersModel(fileSystemIO(join(tmpdir(), 'dropkit-no-such-model'))),
    ).rejects.toThrow(/Invalid path/);
    expect(() => fileSystemIO('')).toThrow(/Invalid path/);
  });

  it('a trained model keeps its scheduled rates through a save', async () => {
    const model = everyLayerModel();
    for (const l of model.layers) if (l instanceof DropPath) l.rate = 0.45;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(
      loaded.layers.filter((l) => l instanceof DropPath).map((l) => (l as DropPath).rate),
    ).toEqual([0.45]);
  });
});
