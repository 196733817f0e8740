import { applyRates, type DropoutSite, findDropoutSites, isDropoutSite } from '@dropkit/layers';
import { dropPathRates } from '@dropkit/schedules';
import { describeWithBackends, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { parameterCount, registerModels } from '../src/index.js';

/** Saves a model through an in-memory handler and loads it back, as a fresh program would. */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('the save handler was not called');
  registerModels();
  return tfl.loadLayersModel(tf.io.fromMemory(saved));
}

/**
 * A layer by name, looked up through the model's layers and what custom layers list in
 * `dropoutSites()`; written here, apart from `@dropkit/layers`' walker, to check that one.
 */
export function layerByName(model: tfl.LayersModel, name: string): tfl.layers.Layer {
  const stack: tfl.layers.Layer[] = [...model.layers];
  while (stack.length > 0) {
    const layer = stack.pop() as tfl.layers.Layer;
    if (layer.name === name) return layer;
    const inner = (layer as unknown as { dropoutSites?: () => tfl.layers.Layer[] }).dropoutSites;
    if (typeof inner === 'function') stack.push(...inner.call(layer));
  }
  throw new Error(`no layer named ${name}`);
}

/** The named layer as a dropout site, failing the test if it is not one. */
export function siteByName(model: tfl.LayersModel, name: string): DropoutSite {
  const layer = layerByName(model, name);
  expect(isDropoutSite(layer), `${name} is a dropout site`).toBe(true);
  return layer as unknown as DropoutSite;
}

/** Copies of the current values of a list of weights. */
export function snapshot(weights: readonly tfl.LayerVariable[]): Float32Array[] {
  return weights.map((w) => w.read().dataSync().slice() as Float32Array);
}

/** A random input batch and one-hot labels, made reproducibly. */
export function batchFor(
  inputShape: readonly number[],
  classes: number,
  batch: number,
  seed: number,
): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', seed);
    const labels = tf.tensor1d(
      Array.from({ length: batch }, (_, i) => (i * 7 + seed) % classes),
      'int32',
    );
    return { x, y: tf.cast(tf.oneHot(labels, classes), 'float32') };
  });
}

/** Everything a builder must get right, for one model family at a small size. */
export interface ModelCase {
  readonly title: string;
  /** Builds the model with these rates and dropout seed. */
  readonly build: (rates: { dropout: number; dropPath: number }, seed: number) => tfl.LayersModel;
  /** One example's shape. */
  readonly inputShape: readonly number[];
  readonly classes: number;
  /** The names the `dropout` sites must have, in any order. */
  readonly dropoutSites: readonly string[];
  /** The names of the `dropPath` sites, shallowest block first. */
  readonly dropPathSites: readonly string[];
  /** The parameter count by a hand-written formula. */
  readonly parameters: number;
  /** Whether the model normalizes with batch statistics in training (batch norm). */
  readonly batchNorm?: boolean;
}

/** The behaviour every model builder shares: shapes, training, sites, serialization, leaks. */
export function describeModelCase(c: ModelCase): void {
  describeWithBackends(c.title, ({ it }) => {
    it('predicts one probability row per example', async () => {
      const model = c.build({ dropout: 0.1, dropPath: 0.1 }, 1);
      const { x, y } = batchFor(c.inputShape, c.classes, 3, 2);
      const out = model.predict(x) as tf.Tensor;
      expect(out.shape).toEqual([3, c.classes]);
      const rows = out.arraySync() as number[][];
      for (const row of rows) {
        expect(row.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      }
      tf.dispose([x, y, out]);
      model.dispose();
    });

    it('counts its parameters as the formula does, and summary() prints the count', () => {
      const model = c.build({ dropout: 0, dropPath: 0 }, 1);
      expect(parameterCount(model)).toBe(c.parameters);
      const lines: string[] = [];
      model.summary(200, undefined, (line?: unknown) => lines.push(String(line)));
      expect(lines).toContain(`Total params: ${c.parameters}`);
      model.dispose();
    });

    it('takes one training step with dropout on: finite loss, every weight moves, none NaN', async () => {
      const model = c.build({ dropout: 0.1, dropPath: 0.1 }, 3);
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
      const { x, y } = batchFor(c.inputShape, c.classes, 4, 5);
      const before = snapshot(model.trainableWeights);
      const loss = (await model.trainOnBatch(x, y)) as number;
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeGreaterThan(0);
      const after = snapshot(model.trainableWeights);
      model.trainableWeights.forEach((w, i) => {
        const a = after[i] as Float32Array;
        const b = before[i] as Float32Array;
        expect(
          a.every((v) => Number.isFinite(v)),
          `${w.name} is finite`,
        ).toBe(true);
        expect(
          a.some((v, j) => v !== b[j]),
          `${w.name} changed`,
        ).toBe(true);
      });
      tf.dispose([x, y]);
      model.dispose();
    });

    it('has exactly the named dropout sites, and applyRates reaches every one', () => {
      const model = c.build({ dropout: 0, dropPath: 0 }, 1);
      const found = findDropoutSites(model);
      expect(
        found
          .filter((s) => s.dropoutSite === 'dropout')
          .map((s) => s.name)
          .sort(),
      ).toEqual([...c.dropoutSites].sort());
      expect(found.filter((s) => s.dropoutSite === 'dropPath').map((s) => s.name)).toEqual(
        c.dropPathSites,
      );
      const depthRates = dropPathRates(0.3, Math.max(1, c.dropPathSites.length));
      const applied = applyRates(model, { dropout: 0.2, dropPath: 0.3 });
      expect(applied.dropout).toBe(0.2);
      expect(applied.dropPath).toEqual(c.dropPathSites.length === 0 ? [] : depthRates);
      // Checked by name through this file's own walk, so a site the walker skipped shows up.
      for (const name of c.dropoutSites) expect(siteByName(model, name).rate, name).toBe(0.2);
      c.dropPathSites.forEach((name, i) => {
        expect(siteByName(model, name).rate, name).toBeCloseTo(depthRates[i] as number, 12);
      });
      model.dispose();
    });

    it('builds its drop-path sites with the per-depth rates', () => {
      const model = c.build({ dropout: 0.15, dropPath: 0.4 }, 1);
      const rates = dropPathRates(0.4, Math.max(1, c.dropPathSites.length));
      c.dropPathSites.forEach((name, i) => {
        expect(siteByName(model, name).rate, name).toBeCloseTo(rates[i] as number, 12);
      });
      for (const name of c.dropoutSites) expect(siteByName(model, name).rate, name).toBe(0.15);
      model.dispose();
    });

    it('wires the sites into the graph: rates change training outputs, never inference', () => {
      const model = c.build({ dropout: 0, dropPath: 0 }, 7);
      const { x, y } = batchFor(c.inputShape, c.classes, 8, 9);
      const train = () => model.apply(x, { training: true }) as tf.Tensor;
      const infer = () => model.predict(x) as tf.Tensor;
      const quiet = train();
      const quietAgain = train();
      const inference = infer();
      expect(Array.from(quietAgain.dataSync())).toEqual(Array.from(quiet.dataSync()));
      if (!c.batchNorm) {
        // Without batch statistics, training with every rate at 0 is inference.
        expect(Array.from(inference.dataSync())).toEqual(Array.from(quiet.dataSync()));
      }
      const kinds: ('dropout' | 'dropPath')[] = [];
      if (c.dropoutSites.length > 0) kinds.push('dropout');
      if (c.dropPathSites.length > 0) kinds.push('dropPath');
      for (const kind of kinds) {
        applyRates(model, { dropout: 0, dropPath: 0 });
        // Training calls move batch-norm statistics, so compare inference calls made back to back.
        const inferQuiet = infer();
        applyRates(model, kind === 'dropout' ? { dropout: 0.5 } : { dropPath: 0.5 });
        const inferNoisy = infer();
        expect(Array.from(inferNoisy.dataSync()), `${kind} leaves inference alone`).toEqual(
          Array.from(inferQuiet.dataSync()),
        );
        const noisy = train();
        expect(Array.from(noisy.dataSync()), `${kind} changes training outputs`).not.toEqual(
          Array.from(quiet.dataSync()),
        );
        tf.dispose([noisy, inferQuiet, inferNoisy]);
      }
      tf.dispose([x, y, quiet, quietAgain, inference]);
      model.dispose();
    });

    it('saves and reloads with identical inference outputs and the rates it had', async () => {
      const model = c.build({ dropout: 0.1, dropPath: 0.2 }, 11);
      // Rates changed after building must be what is saved.
      applyRates(model, { dropout: 0.05, dropPath: 0.25 });
      const loaded = await saveAndLoad(model);
      const { x, y } = batchFor(c.inputShape, c.classes, 2, 13);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(parameterCount(loaded)).toBe(c.parameters);
      for (const name of [...c.dropoutSites, ...c.dropPathSites]) {
        expect(siteByName(loaded, name).rate, name).toBe(siteByName(model, name).rate);
      }
      expect(findDropoutSites(loaded).map((s) => s.name)).toEqual(
        findDropoutSites(model).map((s) => s.name),
      );
      tf.dispose([x, y, a, b]);
      model.dispose();
      loaded.dispose();
    });

    it('leaks no tensor over a predict', async () => {
      const model = c.build({ dropout: 0.1, dropPath: 0.1 }, 1);
      const { x, y } = batchFor(c.inputShape, c.classes, 2, 3);
      tf.dispose(model.predict(x) as tf.Tensor);
      await expectNoLeaks(() => {
        tf.dispose(model.predict(x) as tf.Tensor);
        tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
      });
      tf.dispose([x, y]);
      model.dispose();
    });
  });
}
