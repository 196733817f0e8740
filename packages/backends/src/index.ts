export {
  AUTO_ORDER,
  BACKEND_REQUESTS,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type BackendRequest,
  type UseBackendOptions,
  useBackend,
} from './useBackend.js';
