import { InvalidArgumentError } from '@dropkit/core';
import {
  type Duration,
  SCHEDULE_MODES,
  SCHEDULE_SHAPES,
  type Schedule,
  SHAPES_BY_MODE,
  validateSchedule,
} from './schedule.js';

const GRAMMAR = '"<mode>:<rate>[:<shape>][:cutoff=<n>ep|<n>st][:warmup=<n>ep|<n>st][:stages=<k>]"';
const KEYS = ['cutoff', 'warmup', 'stages'] as const;

function parseDuration(key: string, text: string): Duration {
  const m = /^(\d+)(ep|st)?$/.exec(text);
  if (!m) {
    throw new InvalidArgumentError(
      `schedule.${key}`,
      text,
      'a non-negative integer followed by "ep" (epochs) or "st" (steps, the default), e.g. "50ep"',
    );
  }
  return { value: Number(m[1]), unit: m[2] === 'ep' ? 'epoch' : 'step' };
}

/**
 * Parses the compact command-line form of a schedule:
 * `<mode>:<rate>[:<shape>][:cutoff=<n>ep|<n>st][:warmup=...][:stages=<k>]`, or `none`.
 * A duration without a unit is in steps.
 *
 * @param text - e.g. `early:0.1:linear:cutoff=50ep`, `late:0.4:cutoff=50ep`, `standard:0.1`.
 * @returns the schedule.
 * @throws InvalidArgumentError naming the field, the value and what is allowed: an unknown mode,
 *   shape or key, a bad rate or duration, late with a linear shape, and so on.
 * @example
 * ```ts
 * import { parseSchedule } from '@dropkit/schedules';
 * const s = parseSchedule('early:0.1:linear:cutoff=50ep');
 * console.log(s.mode, s.rate, s.shape, s.cutoff); // early 0.1 linear { value: 50, unit: 'epoch' }
 * ```
 */
export function parseSchedule(text: string): Schedule {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidArgumentError('schedule', text, `a schedule string such as ${GRAMMAR}`);
  }
  const trimmed = text.trim();
  if (trimmed === 'none') return validateSchedule({ mode: 'standard', rate: 0, shape: 'constant' });
  const [mode, rateText, ...rest] = trimmed.split(':');
  if (!(SCHEDULE_MODES as readonly string[]).includes(mode as string)) {
    throw new InvalidArgumentError(
      'schedule.mode',
      mode,
      `"none" or one of ${SCHEDULE_MODES.map((m) => `"${m}"`).join(', ')} (form ${GRAMMAR})`,
    );
  }
  if (rateText === undefined || rateText === '' || !/^[-+0-9.eE]+$|^NaN$/.test(rateText)) {
    throw new InvalidArgumentError('schedule.rate', rateText, 'a number in [0, 1), e.g. "0.1"');
  }
  const fields: Record<string, unknown> = { mode, rate: Number(rateText) };
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!(SCHEDULE_SHAPES as readonly string[]).includes(part)) {
        throw new InvalidArgumentError(
          'schedule.shape',
          part,
          `one of ${SCHEDULE_SHAPES.map((s) => `"${s}"`).join(', ')}`,
        );
      }
      fields.shape = part;
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(
        'schedule key',
        key,
        `one of ${KEYS.map((k) => `"${k}"`).join(', ')}`,
      );
    }
    if (key in fields) throw new InvalidArgumentError(`schedule.${key}`, part, 'given once');
    if (key === 'stages') {
      if (!/^\d+$/.test(value)) {
        throw new InvalidArgumentError('schedule.stages', value, 'an integer >= 1');
      }
      fields.stages = Number(value);
    } else {
      fields[key] = parseDuration(key, value);
    }
  }
  return validateSchedule(fields);
}

function formatDuration(d: Duration): string {
  return `${d.value}${d.unit === 'epoch' ? 'ep' : 'st'}`;
}

/**
 * Writes a schedule in the compact form {@link parseSchedule} reads; the inverse of parsing. The
 * shape is left out where it is the mode's default.
 *
 * @param schedule - the schedule.
 * @returns its compact form.
 * @example
 * ```ts
 * import { earlySchedule, epochs, formatSchedule } from '@dropkit/schedules';
 * console.log(formatSchedule(earlySchedule(0.1, { cutoff: epochs(50), shape: 'linear' }))); // early:0.1:linear:cutoff=50ep
 * ```
 */
export function formatSchedule(schedule: Schedule): string {
  const s = validateSchedule(schedule);
  const parts: string[] = [s.mode, String(s.rate)];
  if (s.shape !== SHAPES_BY_MODE[s.mode][0]) parts.push(s.shape);
  if (s.cutoff) parts.push(`cutoff=${formatDuration(s.cutoff)}`);
  if (s.warmup) parts.push(`warmup=${formatDuration(s.warmup)}`);
  if (s.stages !== undefined) parts.push(`stages=${s.stages}`);
  return parts.join(':');
}
