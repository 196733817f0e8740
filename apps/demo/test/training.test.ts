import { useBackend } from '@dropkit/backends';
import { InvalidArgumentError } from '@dropkit/core';
import { findDropoutSites } from '@dropkit/layers';
import { expectNoLeaks } from '@dropkit/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DemoData } from '../src/data/index.ts';
import {
  checkRunConfig,
  createTrainingSession,
  DEFAULT_RUN_CONFIG,
  type RunConfig,
  type SessionOptions,
  type StepRecord,
} from '../src/training/index.ts';
import { loadData } from './helpers.ts';

const data: Partial<Record<RunConfig['dataset'], DemoData>> = {};

beforeAll(async () => {
  await useBackend('cpu');
  for (const name of ['mnist', 'spirals', 'blobs'] as const) data[name] = await loadData(name);
});

interface Site {
  readonly rate: number;
  readonly dropoutSite: 'dropout' | 'dropPath';
}

const dataOf = (config: RunConfig): DemoData => data[config.dataset] as DemoData;

/** Evaluations and diagnostics on a few examples: the ViT and the CNN are slow on tfjs's cpu. */
const LIGHT: SessionOptions = {
  diagnosticsK: 2,
  diagnosticsExamples: 64,
  evalTrainExamples: 100,
  evalTestExamples: 100,
};

/** A small, fast config: small batches, nothing periodic. */
function configOf(overrides: Partial<RunConfig>): RunConfig {
  return { ...DEFAULT_RUN_CONFIG, batchSize: 16, steps: 20, cutoff: 5, ...overrides };
}

async function run(
  config: RunConfig,
  diagnoseAt: readonly number[] = [],
  options: SessionOptions = {},
) {
  const session = await createTrainingSession(config, dataOf(config), options);
  try {
    const steps: StepRecord[] = [];
    const diagnostics = [];
    for (let i = 0; i < config.steps; i++) {
      if (diagnoseAt.includes(i)) diagnostics.push(await session.diagnose());
      steps.push(await session.step());
    }
    return { steps, diagnostics, evaluation: session.evaluate() };
  } finally {
    session.dispose();
  }
}

describe('createTrainingSession', () => {
  const combinations = [
    ['mnist', 'mlp'],
    ['mnist', 'vit'],
    ['mnist', 'cnn'],
    ['spirals', 'mlp'],
    ['blobs', 'mlp'],
  ] as const;

  it.each(combinations)(
    'trains %s with the %s a few steps, evaluates and diagnoses, and leaks no tensor',
    async (dataset, model) => {
      const config = configOf({
        dataset,
        model,
        schedule: 'standard',
        rate: 0.2,
        steps: 3,
        batchSize: 8,
      });
      // A first run makes what tfjs keeps for good (kernels' constants, the backend's state).
      await run({ ...config, steps: 1 }, [0], LIGHT);
      const records = await expectNoLeaks(async () => {
        const session = await createTrainingSession(config, dataOf(config), LIGHT);
        const steps = [await session.step(), await session.step()];
        const diagnostics = await session.diagnose();
        steps.push(await session.step());
        const evaluation = session.evaluate();
        session.dispose();
        return { steps, diagnostics, evaluation, parameters: session.parameterCount };
      });
      expect(records.steps.map((s) => s.step)).toEqual([0, 1, 2]);
      for (const s of records.steps) {
        expect(s.loss).toBeGreaterThan(0);
        expect(s.accuracy).toBeGreaterThanOrEqual(0);
        expect(s.accuracy).toBeLessThanOrEqual(1);
        expect(s.gradNorm).toBeGreaterThan(0);
        expect(s.rate).toBe(0.2);
        expect(s.ms).toBeGreaterThan(0);
      }
      const d = records.diagnostics;
      expect(d).toMatchObject({ type: 'diagnostics', step: 2, k: 2, examples: 64, rate: 0.2 });
      // 1 - cos lies in [0, 2]; independent mini-batches are never exactly parallel.
      expect(d.gdv).toBeGreaterThan(0);
      expect(d.gdv).toBeLessThan(2);
      expect(d.gde).toBeGreaterThan(0);
      expect(d.gde).toBeLessThan(2);
      const e = records.evaluation;
      expect(e.step).toBe(3);
      expect(e.trainExamples).toBe(100);
      expect(e.testExamples).toBe(100);
      expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.testAccuracy).toBeLessThanOrEqual(1);
      expect(records.parameters).toBeGreaterThan(0);
    },
  );

  it('starts from the same weights and replays the same run for the same seed', async () => {
    const config = configOf({ dataset: 'mnist', model: 'mlp', schedule: 'standard', rate: 0.3 });
    const a = await run(config, [5, 12]);
    const b = await run(config);
    expect(b.steps.map((s) => s.loss)).toEqual(a.steps.map((s) => s.loss));
    expect(b.steps.map((s) => s.gradNorm)).toEqual(a.steps.map((s) => s.gradNorm));
    expect(b.evaluation.testLoss).toBe(a.evaluation.testLoss);
    const again = await run(config, [5, 12]);
    expect(again.diagnostics.map((d) => [d.gdv, d.gde])).toEqual(
      a.diagnostics.map((d) => [d.gdv, d.gde]),
    );
    // The page's defaults: K = 4 mini-batches, 512 examples; 1,000 train and every test example.
    expect(a.diagnostics[0]).toMatchObject({ step: 5, k: 4, examples: 512, rate: 0.3 });
    expect(a.evaluation).toMatchObject({ step: 20, trainExamples: 1000, testExamples: 1000 });
    // Another seed: other weights, masks and batches.
    const other = await run({ ...config, seed: 1 });
    expect(other.steps[0]?.loss).not.toBe(a.steps[0]?.loss);
  });

  it('draws new dropout masks every step', async () => {
    // The same batch twice would only differ through the masks: compare a run with dropout to
    // one without on the same seed (same weights, same batches).
    const config = configOf({ dataset: 'spirals', model: 'mlp', steps: 4 });
    const none = await run({ ...config, schedule: 'none' });
    const standard = await run({ ...config, schedule: 'standard', rate: 0.5 });
    const differing = standard.steps.filter((s, i) => s.loss !== none.steps[i]?.loss);
    expect(differing.length).toBe(4);
  });

  it.each([
    ['none', [0, 0, 0, 0, 0, 0]],
    ['standard', [0.3, 0.3, 0.3, 0.3, 0.3, 0.3]],
    // linspace(0.3, 0, 3), then 0: the official code's linear early dropout.
    ['early', [0.3, 0.15, 0, 0, 0, 0]],
    ['late', [0, 0, 0, 0.3, 0.3, 0.3]],
  ] as const)('follows the %s schedule on every dropout site', async (schedule, expected) => {
    const config = configOf({ dataset: 'mnist', model: 'vit', schedule, rate: 0.3, cutoff: 3 });
    const session = await createTrainingSession({ ...config, steps: 6 }, dataOf(config), LIGHT);
    try {
      const all = findDropoutSites(session.model) as unknown as Site[];
      const sites = all.filter((s) => s.dropoutSite === 'dropout');
      const paths = all.filter((s) => s.dropoutSite === 'dropPath');
      // pos_drop and four sites per block, the attention dropout inside the attention layer too.
      expect([sites.length, paths.length]).toEqual([9, 2]);
      for (const [i, rate] of expected.entries()) {
        const record = await session.step();
        expect(record.rate).toBeCloseTo(rate, 12);
        for (const site of sites) expect(site.rate).toBeCloseTo(rate, 12);
        // The demo schedules dropout only; stochastic depth stays off.
        for (const site of paths) expect(site.rate).toBe(0);
        expect(session.rates[i]).toBeCloseTo(rate, 12);
      }
    } finally {
      session.dispose();
    }
  });

  it('brings the loss down on two spirals within 100 MLP steps', async () => {
    const config = configOf({
      dataset: 'spirals',
      model: 'mlp',
      schedule: 'early',
      rate: 0.1,
      cutoff: 30,
      steps: 100,
      batchSize: 64,
      learningRate: 0.01,
    });
    const session = await createTrainingSession(config, dataOf(config));
    try {
      const start = session.evaluate();
      for (let i = 0; i < config.steps; i++) await session.step();
      const end = session.evaluate();
      // Chance level is ln 2 = 0.693 for two balanced classes.
      expect(start.trainLoss).toBeGreaterThan(0.6);
      expect(end.trainLoss).toBeLessThan(0.8 * start.trainLoss);
      expect(end.testLoss).toBeLessThan(0.8 * start.testLoss);
      expect(end.testAccuracy).toBeGreaterThan(0.6);
    } finally {
      session.dispose();
    }
  });

  it('refuses a finished run, a disposed session and mismatched data', async () => {
    const config = configOf({ dataset: 'spirals', steps: 1, cutoff: 0 });
    const session = await createTrainingSession(config, dataOf(config));
    await session.step();
    await expect(session.step()).rejects.toThrow('all 1 steps were taken');
    session.dispose();
    expect(() => session.evaluate()).toThrow('disposed');
    await expect(createTrainingSession(config, data.blobs as DemoData)).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

describe('checkRunConfig', () => {
  const errorsOf = (overrides: Partial<Record<keyof RunConfig, unknown>>) => {
    const r = checkRunConfig({ ...DEFAULT_RUN_CONFIG, ...overrides });
    return r.ok ? [] : r.errors.map((e) => [e.parameter, e.message]);
  };

  it('accepts the defaults', () => {
    expect(checkRunConfig(DEFAULT_RUN_CONFIG)).toEqual({ ok: true, config: DEFAULT_RUN_CONFIG });
  });

  it('names each bad field, the value and what is allowed', () => {
    expect(errorsOf({ rate: 1 })).toEqual([
      ['rate', 'Invalid rate: received 1; expected a number in [0, 1).'],
    ]);
    // In the form's order; without a valid step count the cutoff has no upper bound to name.
    expect(errorsOf({ rate: Number.NaN, cutoff: -1, steps: 0 })).toEqual([
      ['rate', 'Invalid rate: received NaN; expected a number in [0, 1).'],
      ['cutoff', 'Invalid cutoff: received -1; expected an integer >= 0.'],
      ['steps', 'Invalid steps: received 0; expected an integer in [1, 5000].'],
    ]);
    expect(errorsOf({ rate: '', seed: 'x' })).toEqual([
      ['rate', 'Invalid rate: received ""; expected a number in [0, 1).'],
      ['seed', 'Invalid seed: received "x"; expected an integer >= 0.'],
    ]);
    expect(errorsOf({ cutoff: 301 })).toEqual([
      ['cutoff', 'Invalid cutoff: received 301; expected an integer in [0, 300].'],
    ]);
    expect(errorsOf({ dataset: 'spirals', model: 'vit' })[0]?.[0]).toBe('model');
    expect(errorsOf({ learningRate: 0 })[0]?.[0]).toBe('learningRate');
  });

  it('ignores the fields a schedule does not use', () => {
    expect(errorsOf({ schedule: 'none', rate: 7, cutoff: -3 })).toEqual([]);
    expect(errorsOf({ schedule: 'standard', cutoff: -3 })).toEqual([]);
    expect(errorsOf({ schedule: 'late', cutoff: -3 })).toHaveLength(1);
  });
});
