import { resnet } from '../src/index.js';
import { resnetParams } from './formulas.js';
import { describeModelCase } from './helpers.js';

describeModelCase({
  title: 'resnet',
  build: ({ dropPath }, seed) =>
    resnet({ depth: 14, inputShape: [8, 8, 3], classes: 3, width: 4, dropPath, seed }),
  inputShape: [8, 8, 3],
  classes: 3,
  dropoutSites: [],
  dropPathSites: [0, 1, 2].flatMap((s) => [0, 1].map((b) => `stage${s}/block${b}/drop_path`)),
  parameters: resnetParams(14, 3, 4, 3),
  batchNorm: true,
});
