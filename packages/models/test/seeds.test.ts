import { findDropoutSites } from '@dropkit/layers';
import { describeWithBackends } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { vit } from '../src/index.js';
import { batchFor } from './helpers.js';

const build = (seed?: number) =>
  vit({
    imageSize: 8,
    channels: 1,
    classes: 2,
    depth: 2,
    width: 4,
    heads: 2,
    mlpRatio: 1,
    dropout: 0.3,
    attentionDropout: 0.3,
    positionDropout: 0.3,
    dropPath: 0.3,
    ...(seed === undefined ? {} : { seed }),
  });

/** The seed a site was built with, from its saved config (the attention's own for attn_drop). */
const seedOf = (site: { getConfig(): Record<string, unknown> }) => site.getConfig().seed;

describeWithBackends('dropout seeds', ({ it }) => {
  it('gives each site its own seed, seed + k, and none without a seed', () => {
    const seeded = build(100);
    const sites = findDropoutSites(seeded);
    expect(sites).toHaveLength(1 + 2 * 4 + 2);
    const seeds = sites.map(seedOf) as number[];
    expect([...seeds].sort((a, b) => a - b)).toEqual(sites.map((_, k) => 100 + k));
    seeded.dispose();
    const unseeded = build();
    expect(findDropoutSites(unseeded).map(seedOf)).toEqual(
      findDropoutSites(unseeded).map(() => undefined),
    );
    unseeded.dispose();
  });

  it('replays the same masks with the same seed and weights, and other masks with another', () => {
    const a = build(5);
    const b = build(5);
    const c = build(6);
    b.setWeights(a.getWeights());
    c.setWeights(a.getWeights());
    const { x, y } = batchFor([8, 8, 1], 2, 6, 1);
    const run = (m: typeof a) =>
      tf.tidy(() => Array.from((m.apply(x, { training: true }) as tf.Tensor).dataSync()));
    const first = run(a);
    expect(run(b)).toEqual(first);
    expect(run(c)).not.toEqual(first);
    // A seeded site draws a new mask every call: the second step differs from the first.
    expect(run(a)).not.toEqual(first);
    tf.dispose([x, y]);
    for (const m of [a, b, c]) m.dispose();
  });
});
