export { mountPlayground } from './mountPlayground.ts';
export { keptFraction, type PictureBatch, type RgbaPicture, tileBatch, toRgba } from './pixels.ts';
export {
  DEFAULT_PLAYGROUND_PARAMS,
  PLAYGROUND_VARIANTS,
  type PlaygroundParams,
  type PlaygroundVariant,
  readPlaygroundParams,
} from './playgroundVariants.ts';
export { renderVariants, type VariantRender } from './renderVariants.ts';
export { buildTestBatch, buildTestImage, TEST_IMAGE_FLOOR, type TestImage } from './testImage.ts';
