export {
  type BackendSetup,
  type BackendSuite,
  type DescribeWithBackendsOptions,
  describeWithBackends,
  registerTestBackend,
  type SkipList,
  testBackendNames,
} from './backends.ts';
export { type CloseOptions, expectClose } from './close.ts';
export { expectNoLeaks } from './leaks.ts';
