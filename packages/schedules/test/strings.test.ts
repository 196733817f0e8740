import { InvalidArgumentError } from '@dropkit/core';
import { describe, expect, it } from 'vitest';
import {
  earlySchedule,
  epochs,
  formatSchedule,
  lateSchedule,
  parseSchedule,
  rampSchedule,
  type Schedule,
  scheduleFromJSON,
  standardSchedule,
  steps,
} from '../src/index.js';

const samples: Schedule[] = [
  standardSchedule(0.1),
  standardSchedule(0),
  standardSchedule(0.3, { warmup: epochs(5) }),
  earlySchedule(0.1, { cutoff: epochs(50), shape: 'linear' }),
  earlySchedule(0.5, { cutoff: steps(1200) }),
  earlySchedule(0.2, { cutoff: steps(40), shape: 'cosine' }),
  earlySchedule(0.2, { cutoff: epochs(8), shape: 'step', stages: 3 }),
  lateSchedule(0.4, { cutoff: epochs(50) }),
  lateSchedule(0.4, { cutoff: epochs(50), warmup: steps(100) }),
  rampSchedule(0.1, { cutoff: epochs(300) }),
  rampSchedule(0.15, { cutoff: steps(7), shape: 'cosine' }),
];

describe('compact string form', () => {
  it('parses the example from the docs', () => {
    expect(parseSchedule('early:0.1:linear:cutoff=50ep')).toEqual({
      mode: 'early',
      rate: 0.1,
      shape: 'linear',
      cutoff: { value: 50, unit: 'epoch' },
    });
    expect(parseSchedule('late:0.4:cutoff=50ep')).toEqual(
      lateSchedule(0.4, { cutoff: epochs(50) }),
    );
    expect(parseSchedule('none')).toEqual(standardSchedule(0));
    expect(parseSchedule('early:0.1:cutoff=300')).toEqual(
      earlySchedule(0.1, { cutoff: steps(300) }),
    );
  });
  it.each(samples.map((s) => [formatSchedule(s), s] as const))('round-trips %s', (text, s) => {
    expect(parseSchedule(text)).toEqual(s);
    expect(formatSchedule(parseSchedule(text))).toBe(text);
  });
  it.each(samples.map((s) => [formatSchedule(s), s] as const))('JSON round-trips %s', (_t, s) => {
    expect(scheduleFromJSON(JSON.stringify(s))).toEqual(s);
    expect(scheduleFromJSON(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});

describe('bad input names the field, the value and what is allowed', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'rate above 1',
      () => standardSchedule(1.2),
      /schedule\.rate: received 1\.2; expected a number in \[0, 1\)/,
    ],
    ['rate of exactly 1', () => standardSchedule(1), /schedule\.rate: received 1;/],
    ['negative rate', () => parseSchedule('standard:-0.1'), /schedule\.rate: received -0\.1/],
    ['NaN rate', () => standardSchedule(Number.NaN), /schedule\.rate: received NaN/],
    [
      'NaN rate in a string',
      () => parseSchedule('early:NaN:cutoff=3'),
      /schedule\.rate: received NaN/,
    ],
    [
      'late with a linear shape',
      () => parseSchedule('late:0.1:linear:cutoff=5ep'),
      /schedule\.shape: received "linear"; expected for mode "late", one of "constant"/,
    ],
    [
      'late linear via JSON',
      () =>
        scheduleFromJSON({
          mode: 'late',
          rate: 0.1,
          shape: 'linear',
          cutoff: { value: 1, unit: 'step' },
        }),
      /schedule\.shape/,
    ],
    [
      'negative cutoff',
      () => earlySchedule(0.1, { cutoff: { value: -1, unit: 'step' } }),
      /schedule\.cutoff\.value: received -1; expected an integer >= 0/,
    ],
    [
      'fractional cutoff',
      () => parseSchedule('early:0.1:cutoff=2.5ep'),
      /schedule\.cutoff: received "2\.5ep"/,
    ],
    ['fractional steps helper', () => steps(2.5), /steps: received 2\.5/],
    ['negative epochs helper', () => epochs(-3), /epochs: received -3/],
    [
      'unknown mode',
      () => parseSchedule('sometimes:0.1'),
      /schedule\.mode: received "sometimes"; expected "none" or one of "standard", "early", "late", "ramp"/,
    ],
    [
      'unknown shape',
      () => parseSchedule('early:0.1:wavy:cutoff=3'),
      /schedule\.shape: received "wavy"/,
    ],
    ['unknown key', () => parseSchedule('early:0.1:until=3'), /schedule key: received "until"/],
    [
      'missing cutoff',
      () => parseSchedule('early:0.1'),
      /schedule\.cutoff: received undefined; expected a cutoff for mode "early"/,
    ],
    ['cutoff on standard', () => parseSchedule('standard:0.1:cutoff=3'), /schedule\.cutoff/],
    ['warm-up on early', () => parseSchedule('early:0.1:cutoff=3:warmup=2'), /schedule\.warmup/],
    [
      'stages without step shape',
      () => parseSchedule('early:0.1:cutoff=3:stages=2'),
      /schedule\.stages/,
    ],
    ['missing rate', () => parseSchedule('early'), /schedule\.rate: received undefined/],
    ['empty string', () => parseSchedule(''), /schedule: received ""/],
    ['bad JSON', () => scheduleFromJSON('{oops'), /json: received "\{oops"/],
    ['not an object', () => scheduleFromJSON('[1]'), /schedule: received \[1\]/],
  ];
  it.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(InvalidArgumentError);
    expect(fn).toThrow(message);
  });
});
