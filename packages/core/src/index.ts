export {
  BackendUnavailableError,
  DropkitError,
  describeValue,
  InvalidArgumentError,
} from './errors.js';
export {
  assertFinite,
  assertInteger,
  assertOneOf,
  assertRate,
  type IntegerOptions,
  type RateOptions,
} from './validate.js';
