import { smallCnn } from '../src/index.js';
import { smallCnnParams } from './formulas.js';
import { describeModelCase } from './helpers.js';

describeModelCase({
  title: 'smallCnn',
  build: ({ dropout }, seed) =>
    smallCnn({ inputShape: [9, 8, 2], classes: 4, dropout, filters: [4, 6], units: 8, seed }),
  inputShape: [9, 8, 2],
  classes: 4,
  dropoutSites: ['conv_drop', 'fc_drop'],
  dropPathSites: [],
  parameters: smallCnnParams([9, 8, 2], [4, 6], 8, 4),
});
