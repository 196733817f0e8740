import { convNeXt } from '../src/index.js';
import { convNeXtParams } from './formulas.js';
import { describeModelCase } from './helpers.js';

describeModelCase({
  title: 'convNeXt',
  build: ({ dropout, dropPath }, seed) =>
    convNeXt({
      imageSize: 8,
      channels: 3,
      classes: 3,
      depths: [2, 1],
      dims: [4, 8],
      stemPatch: 2,
      dropout,
      dropPath,
      // Large enough that one Adam step visibly moves the weights behind the layer scale.
      layerScaleInit: 0.1,
      seed,
    }),
  inputShape: [8, 8, 3],
  classes: 3,
  dropoutSites: ['head/drop'],
  dropPathSites: ['stage0/block0/drop_path', 'stage0/block1/drop_path', 'stage1/block0/drop_path'],
  parameters: convNeXtParams(3, [2, 1], [4, 8], 2, 3),
});
