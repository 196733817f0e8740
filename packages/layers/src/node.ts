/**
 * Node-only helpers of `@dropkit/layers`, imported from `@dropkit/layers/node` so that the main
 * entry stays free of `node:` modules for browser bundles.
 *
 * @module node
 */
export { fileSystemIO, registerFileSystemRouter } from './fileSystemIO.js';
