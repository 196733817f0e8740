/**
 * The playground variants the DOM contract asks for (each gets a canvas): checked in
 * Node by playground.test.ts and in Chromium by browser.test.ts.
 */
export const CONTRACT_VARIANTS = [
  'original',
  'dropout',
  'spatialDropout2d',
  'dropBlock2d',
  'probDropBlock2d',
  'gaussianDropout',
  'alphaDropout',
  'dropPath',
] as const;
