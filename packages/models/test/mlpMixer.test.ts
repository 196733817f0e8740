import { mlpMixer } from '../src/index.js';
import { mixerParams } from './formulas.js';
import { describeModelCase } from './helpers.js';

describeModelCase({
  title: 'mlpMixer',
  build: ({ dropout, dropPath }, seed) =>
    mlpMixer({
      imageSize: 8,
      channels: 3,
      classes: 3,
      patchSize: 2,
      depth: 2,
      width: 8,
      dropout,
      dropPath,
      seed,
    }),
  inputShape: [8, 8, 3],
  classes: 3,
  dropoutSites: [0, 1].flatMap((i) =>
    ['token_mlp', 'channel_mlp'].flatMap((m) => [`block${i}/${m}/drop1`, `block${i}/${m}/drop2`]),
  ),
  dropPathSites: ['block0/drop_path', 'block1/drop_path'],
  parameters: mixerParams({
    tokens: 16,
    patch: 2,
    channels: 3,
    width: 8,
    depth: 2,
    tokenHidden: 4,
    channelHidden: 32,
    classes: 3,
  }),
});
