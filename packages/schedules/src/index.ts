export { dropPathRates } from './dropPathRates.js';
export { formatSchedule, parseSchedule } from './parseSchedule.js';
export { rateAt, scheduleSteps, type TrainingLength, toArray } from './rateAt.js';
export {
  type Duration,
  type DurationUnit,
  type EarlyOptions,
  earlySchedule,
  epochs,
  type LateOptions,
  lateSchedule,
  type RampOptions,
  rampSchedule,
  SCHEDULE_MODES,
  SCHEDULE_SHAPES,
  type Schedule,
  type ScheduleMode,
  type ScheduleShape,
  SHAPES_BY_MODE,
  type StandardOptions,
  scheduleFromJSON,
  standardSchedule,
  steps,
  validateSchedule,
} from './schedule.js';
export { type EpochShape, stepsPerEpoch } from './stepsPerEpoch.js';
