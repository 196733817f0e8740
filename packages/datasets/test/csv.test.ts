import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, readCsv } from '../src/index.js';
import { formatError, formatErrorSync, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const IRIS_LIKE = [
  'sepal_length,sepal_width,species',
  '5.1,3.5,setosa',
  '7.0,3.2,versicolor',
  '6.3,3.3,virginica',
  '4.9,3.0,setosa',
  '',
].join('\n');

describe('parseCsv', () => {
  it('parses a header, numeric features and string classes (indexed in sorted order)', () => {
    const ds = parseCsv(IRIS_LIKE, { name: 'iris.csv' });
    expect(ds.size).toBe(4);
    expect(ds.featureShape).toEqual([2]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width']);
    expect(Array.from(ds.features)).toEqual([5.1, 3.5, 7, 3.2, 6.3, 3.3, 4.9, 3].map(Math.fround));
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(ds.labels)).toEqual([0, 1, 2, 0]);
    expect(ds.name).toBe('iris.csv');
  });

  it('takes integer labels as class indices, numClasses = max + 1 unless given', () => {
    const ds = parseCsv('a,b\n1,2\n3,0\n5,4\n');
    expect(Array.from(ds.labels)).toEqual([2, 0, 4]);
    expect(ds.numClasses).toBe(5);
    expect(parseCsv('a,b\n1,2\n', { numClasses: 10 }).numClasses).toBe(10);
  });

  it('picks the label column by name or index; regression targets are floats', () => {
    const text = 'y,x1,x2\n0.5,1,2\n-1.25,3,4\n';
    const byName = parseCsv(text, { labelColumn: 'y', task: 'regression' });
    expect(Array.from(byName.labels)).toEqual([0.5, -1.25]);
    expect(Array.from(byName.features)).toEqual([1, 2, 3, 4]);
    expect(byName.featureNames).toEqual(['x1', 'x2']);
    const byIndex = parseCsv(text, { labelColumn: 0, task: 'regression' });
    expect(Array.from(byIndex.labels)).toEqual([0.5, -1.25]);
    expect(byIndex.task).toBe('regression');
  });

  it('handles no header, other delimiters, CRLF, quotes, blank lines, a BOM and spaces', () => {
    const noHeader = parseCsv('1;2;0\n3;4;1\n', { header: false, delimiter: ';' });
    expect(noHeader.size).toBe(2);
    expect(noHeader.featureNames).toBeUndefined();
    const tabbed = parseCsv('a\tb\tc\r\n1\t2\tx\r\n\r\n3\t4\ty\r\n', { delimiter: '\t' });
    expect(Array.from(tabbed.features)).toEqual([1, 2, 3, 4]);
    expect(tabbed.classNames).toEqual(['x', 'y']);
    const quoted = parseCsv('\ufeff"a, first","b"\n" 1.5 ","He said ""hi"""\n2,plain\n');
    expect(quoted.featureNames).toEqual(['a, first']);
    expect(quoted.classNames).toEqual(['He said "hi"', 'plain']);
    expect(Array.from(quoted.features)).toEqual([1.5, 2]);
    expect(Array.from(parseCsv('a,b\n1e3,0\n-.5,1\n+2.,0').features)).toEqual([1000, -0.5, 2]);
  });

  it('maps names through given classNames', () => {
    const ds = parseCsv('x,c\n1,b\n2,a\n', { classNames: ['b', 'a', 'z'] });
    expect(Array.from(ds.labels)).toEqual([0, 1]);
    expect(ds.numClasses).toBe(3);
  });

  it('reports a ragged row with its line and column', () => {
    const err = formatErrorSync(() => parseCsv('a,b,c\n1,2,3\n4,5\n', { name: 'r.csv' }));
    expect(err.line).toBe(3);
    expect(err.column).toBe(3);
    expect(err.message).toBe(
      'r.csv: ragged row: 2 fields, expected 3 as in the header (line 1) (at line 3, column 3).',
    );
    const long = formatErrorSync(() => parseCsv('1,2\n3,4,5\n', { header: false }));
    expect(long.line).toBe(2);
    expect(long.column).toBe(3);
  });

  it('reports a non-numeric or empty cell with its line, column and column name', () => {
    const err = formatErrorSync(() => parseCsv('a,b,c\n1,2,0\n3,abc,1\n', { name: 'bad.csv' }));
    expect(err.source).toBe('bad.csv');
    expect([err.line, err.column]).toEqual([3, 2]);
    expect(err.message).toMatch(/^bad\.csv: cannot parse "abc" in column 2 \("b"\) as a number/);
    expect(err.message).toMatch(/at line 3, column 2/);
    const empty = formatErrorSync(() => parseCsv('a,b\n,1\n'));
    expect([empty.line, empty.column]).toEqual([2, 1]);
    expect(empty.message).toMatch(/empty cell/);
    for (const cell of ['NaN', 'Infinity', '0x10', '1,5', '1e400']) {
      expect(() => parseCsv(`a;b\n${cell};0\n`, { delimiter: ';' })).toThrow(/line 2, column 1/);
    }
    const target = formatErrorSync(() => parseCsv('x,y\n1,oops\n', { task: 'regression' }));
    expect([target.line, target.column]).toEqual([2, 2]);
  });

  it('counts lines inside multi-line quoted fields', () => {
    const err = formatErrorSync(() => parseCsv('"multi\nline",b\n1,0\n2,0\nx,0\n'));
    expect(err.line).toBe(5);
  });

  it('reports unknown classes, class indices out of range and unclosed quotes', () => {
    const unknown = formatErrorSync(() => parseCsv('x,c\n1,a\n2,q\n', { classNames: ['a', 'b'] }));
    expect([unknown.line, unknown.column]).toEqual([3, 2]);
    const range = formatErrorSync(() => parseCsv('x,c\n1,0\n2,7\n', { numClasses: 5 }));
    expect([range.line, range.column]).toEqual([3, 2]);
    expect(range.message).toMatch(/class 7 .* out of range for 5 classes/);
    const open = formatErrorSync(() => parseCsv('x,c\n1,"abc\n2,0\n'));
    expect([open.line, open.column]).toEqual([2, 2]);
    const after = formatErrorSync(() => parseCsv('x,c\n1,"a"b\n'));
    expect(after.line).toBe(2);
  });

  it('rejects bad options with InvalidArgumentError naming them', () => {
    expect(() => parseCsv(IRIS_LIKE, { labelColumn: 'colour' })).toThrow(
      /Invalid labelColumn: received "colour"/,
    );
    expect(() => parseCsv(IRIS_LIKE, { labelColumn: 3 })).toThrow(InvalidArgumentError);
    expect(() => parseCsv(IRIS_LIKE, { delimiter: '"' })).toThrow(/delimiter/);
    expect(() => parseCsv(IRIS_LIKE, { numClasses: 2 })).toThrow(/numClasses/);
    expect(() => parseCsv('', {})).toThrow(/contains no rows/);
    expect(() => parseCsv('a\n1\n')).toThrow(/at least one feature column/);
  });
});

describe('readCsv', () => {
  it('reads a file by path and names it in errors', async () => {
    const good = join(tmp.dir, 'good.csv');
    writeFileSync(good, IRIS_LIKE);
    expect((await readCsv(good)).size).toBe(4);
    const bad = join(tmp.dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,0\n2\n');
    const err = await formatError(() => readCsv(bad));
    expect(err.message.startsWith(`${bad}: ragged row`)).toBe(true);
    expect(err.line).toBe(3);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const err = await formatError(() =>
      readCsv(new Uint8Array([0x61, 0xff, 0x0a]), { name: 'b.csv' }),
    );
    expect(err.message).toMatch(/^b\.csv: is not valid UTF-8/);
  });
});
