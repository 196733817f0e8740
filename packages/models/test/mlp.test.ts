import { mlp } from '../src/index.js';
import { mlpParams } from './formulas.js';
import { describeModelCase } from './helpers.js';

describeModelCase({
  title: 'mlp',
  build: ({ dropout }, seed) =>
    mlp({ inputShape: [2, 3], hidden: [8, 4], classes: 3, dropout, activation: 'gelu', seed }),
  inputShape: [2, 3],
  classes: 3,
  dropoutSites: ['hidden0/drop', 'hidden1/drop'],
  dropPathSites: [],
  parameters: mlpParams(6, [8, 4], 3),
});
