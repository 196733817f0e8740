import { describe, expect, it } from 'vitest';
import {
  assertFinite,
  assertInteger,
  assertOneOf,
  assertRate,
  BackendUnavailableError,
  DropkitError,
  describeValue,
  InvalidArgumentError,
} from '../src/index.js';

describe('InvalidArgumentError', () => {
  it('names the parameter, the value and what is allowed', () => {
    const e = new InvalidArgumentError('rate', 1.5, 'a number in [0, 1)');
    expect(e).toBeInstanceOf(DropkitError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InvalidArgumentError');
    expect(e.message).toBe('Invalid rate: received 1.5; expected a number in [0, 1).');
    expect([e.parameter, e.value, e.allowed]).toEqual(['rate', 1.5, 'a number in [0, 1)']);
  });
  it('renders values readably', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
  });
});

describe('validators', () => {
  it('assertRate accepts [0, 1) and rejects the rest', () => {
    expect(assertRate('p', 0)).toBe(0);
    expect(assertRate('p', 0.999)).toBe(0.999);
    for (const bad of [1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, '0.5', null]) {
      expect(() => assertRate('p', bad)).toThrow(InvalidArgumentError);
    }
    expect(assertRate('p', 1, { allowOne: true })).toBe(1);
    expect(() => assertRate('p', 1.01, { allowOne: true })).toThrow(
      /expected a number in \[0, 1\]/,
    );
  });
  it('assertInteger checks integrality and bounds', () => {
    expect(assertInteger('n', 3, { min: 1, max: 3 })).toBe(3);
    expect(() => assertInteger('n', 2.5)).toThrow(/n: received 2\.5; expected an integer/);
    expect(() => assertInteger('n', 0, { min: 1 })).toThrow(/expected an integer >= 1/);
    expect(() => assertInteger('n', 9, { max: 8 })).toThrow(/expected an integer <= 8/);
    expect(() => assertInteger('n', 2 ** 53)).toThrow(InvalidArgumentError);
  });
  it('assertFinite and assertOneOf', () => {
    expect(assertFinite('x', -2)).toBe(-2);
    expect(() => assertFinite('x', Number.NaN)).toThrow(
      /x: received NaN; expected a finite number/,
    );
    expect(assertOneOf('mode', 'row', ['row', 'batch'])).toBe('row');
    expect(() => assertOneOf('mode', 'col', ['row', 'batch'])).toThrow(
      /expected one of "row", "batch"/,
    );
  });
});

describe('BackendUnavailableError', () => {
  it('names the backend, the reason and the remedy, keeps the cause, and is a DropkitError', () => {
    const cause = new Error('dlopen failed');
    const e = new BackendUnavailableError(
      'node-gpu',
      'libtensorflow did not load',
      'Install CUDA.',
      {
        cause,
      },
    );
    expect(e).toBeInstanceOf(DropkitError);
    expect(e.name).toBe('BackendUnavailableError');
    expect(e.message).toBe(
      'The node-gpu backend is unavailable: libtensorflow did not load. Install CUDA.',
    );
    expect([e.backend, e.reason, e.remedy, e.cause]).toEqual([
      'node-gpu',
      'libtensorflow did not load',
      'Install CUDA.',
      cause,
    ]);
  });
});
