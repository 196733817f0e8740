import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError, loadMnist } from '@dropkit/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMnistSubset } from '../src/data/index.ts';
import { mnistSubsetPath, runSubsetScript } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'demo-subset-'));
const small = join(dir, 'small.bin');
let bytes: Uint8Array;

beforeAll(() => {
  runSubsetScript(['--out', small, '--train', '20', '--test', '10']);
  bytes = new Uint8Array(readFileSync(small));
});

/** The first `perClass` images of each digit of an MNIST split, in file order: an independent pick. */
async function expectedSelection(split: 'train' | 'test', perClass: number) {
  const ds = await loadMnist({ split, limit: 1000 });
  const taken = new Array<number>(10).fill(0);
  const picked: number[] = [];
  for (let i = 0; i < ds.size && picked.length < 10 * perClass; i++) {
    const label = ds.labels[i] as number;
    if ((taken[label] as number) < perClass) {
      taken[label] = (taken[label] as number) + 1;
      picked.push(i);
    }
  }
  return { ds, picked };
}

describe('make-mnist-subset.mjs and parseMnistSubset', () => {
  it('writes a balanced, fixed selection of MNIST that parses back image for image', async () => {
    const { train, test } = parseMnistSubset(bytes, 'small.bin');
    expect([train.size, test.size]).toEqual([20, 10]);
    expect(train.featureShape).toEqual([28, 28, 1]);
    expect(train.classCounts()).toEqual(new Array(10).fill(2));
    expect(test.classCounts()).toEqual(new Array(10).fill(1));
    for (const [part, split, perClass] of [
      [train, 'train', 2],
      [test, 'test', 1],
    ] as const) {
      const { ds, picked } = await expectedSelection(split, perClass);
      picked.forEach((source, k) => {
        expect(part.labels[k]).toBe(ds.labels[source]);
        const mine = part.features.subarray(k * 784, (k + 1) * 784);
        const theirs = ds.features.subarray(source * 784, (source + 1) * 784);
        expect(Buffer.from(mine).equals(Buffer.from(theirs)), `${split} image ${k}`).toBe(true);
      });
    }
  });

  it('is skipped when up to date, redone with --force, and refuses unbalanced counts', () => {
    expect(runSubsetScript(['--out', small, '--train', '20', '--test', '10'])).toMatch(
      /is up to date/,
    );
    expect(runSubsetScript(['--out', small, '--train', '30', '--test', '10'])).toMatch(
      /Wrote .*30 train \+ 10 test/,
    );
    expect(runSubsetScript(['--out', small, '--train', '30', '--test', '10', '--force'])).toMatch(
      /Wrote/,
    );
    expect(() => runSubsetScript(['--out', small, '--train', '15'])).toThrow(
      /Invalid --train: received 15; expected a multiple of 10/,
    );
  });

  it('makes the default 4,000 + 1,000 images', () => {
    const { train, test } = parseMnistSubset(new Uint8Array(readFileSync(mnistSubsetPath())));
    expect([train.size, test.size]).toEqual([4000, 1000]);
    expect(train.classCounts()).toEqual(new Array(10).fill(400));
  });

  it('names the byte offset of what is wrong in a damaged file', () => {
    const damaged = (edit: (b: Uint8Array) => Uint8Array) => () =>
      parseMnistSubset(edit(bytes.slice()), 'bad.bin');
    expect(damaged((b) => b.subarray(0, 10))).toThrow(
      'bad.bin: 10 bytes, shorter than the 24-byte header (at byte offset 10).',
    );
    expect(
      damaged((b) => {
        b[0] = 0x58;
        return b;
      }),
    ).toThrow('bad.bin: magic "XKMN", expected "DKMN" (at byte offset 0).');
    expect(damaged((b) => b.subarray(0, b.length - 1))).toThrow(
      /promises 23574 \(at byte offset 23573\)/,
    );
    const labelsAt = 24 + 30 * 784;
    expect(
      damaged((b) => {
        b[labelsAt + 3] = 12;
        return b;
      }),
    ).toThrow(`bad.bin: label 12 outside 0..9 (at byte offset ${labelsAt + 3}).`);
    expect(damaged((b) => b.subarray(0, 10))).toThrow(DataFormatError);
  });
});
