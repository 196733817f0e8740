import { DropoutScheduler, findDropoutSites } from '@dropkit/layers';
import { earlySchedule, lateSchedule, steps } from '@dropkit/schedules';
import { describeWithBackends } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { vit } from '../src/index.js';
import { vitParams } from './formulas.js';
import { batchFor, describeModelCase } from './helpers.js';

const blockSites = (i: number) => [
  `block${i}/attn_drop`,
  `block${i}/proj_drop`,
  `block${i}/mlp/drop1`,
  `block${i}/mlp/drop2`,
];

for (const pooling of ['token', 'mean'] as const) {
  describeModelCase({
    title: `vit (${pooling} pooling)`,
    build: ({ dropout, dropPath }, seed) =>
      vit({
        imageSize: [8, 12],
        channels: 2,
        classes: 3,
        patchSize: 4,
        depth: 3,
        width: 8,
        heads: 2,
        mlpRatio: 2,
        dropout,
        attentionDropout: dropout,
        positionDropout: dropout,
        dropPath,
        pooling,
        seed,
      }),
    inputShape: [8, 12, 2],
    classes: 3,
    dropoutSites: ['pos_drop', ...[0, 1, 2].flatMap(blockSites)],
    dropPathSites: ['block0/drop_path', 'block1/drop_path', 'block2/drop_path'],
    parameters: vitParams({
      tokens: 6,
      patch: 4,
      channels: 2,
      width: 8,
      depth: 3,
      hidden: 16,
      classes: 3,
      classToken: pooling === 'token',
    }),
  });
}

describeWithBackends('vit under DropoutScheduler', ({ it }) => {
  it('follows early dropout and late drop path at every site, attention and position included', async () => {
    const net = vit({
      imageSize: 8,
      channels: 1,
      classes: 2,
      depth: 2,
      width: 4,
      heads: 2,
      mlpRatio: 1,
      seed: 1,
    });
    net.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const sites = findDropoutSites(net);
    const seen: { step: number; dropout: number[]; dropPath: number[] }[] = [];
    const scheduler = new DropoutScheduler({
      dropout: earlySchedule(0.3, { cutoff: steps(2), shape: 'linear' }),
      dropPath: lateSchedule(0.2, { cutoff: steps(2) }),
      onRates: (r) => {
        seen.push({
          step: r.step,
          dropout: sites.filter((s) => s.dropoutSite === 'dropout').map((s) => s.rate),
          dropPath: sites.filter((s) => s.dropoutSite === 'dropPath').map((s) => s.rate),
        });
      },
    });
    const { x, y } = batchFor([8, 8, 1], 2, 8, 1);
    await net.fit(x, y, { batchSize: 2, epochs: 1, verbose: 0, callbacks: [scheduler] });
    // 1 + 4 * 2 sites: pos_drop, then attn_drop, proj_drop, mlp/drop1, mlp/drop2 per block.
    expect(seen.map((s) => s.dropout.length)).toEqual([9, 9, 9, 9]);
    // Early linear: linspace(0.3, 0, 2) over the first two steps, then 0.
    expect(seen.map((s) => s.dropout)).toEqual([0.3, 0, 0, 0].map((r) => Array(9).fill(r)));
    // Late constant: 0 for two steps, then 0.2 at the last block and linspace below it.
    expect(seen.map((s) => s.dropPath)).toEqual([
      [0, 0],
      [0, 0],
      [0, 0.2],
      [0, 0.2],
    ]);
    tf.dispose([x, y]);
    net.dispose();
  });
});
