export {
  createHandler,
  clientTokenFor,
  JOB_TAG,
  RUN_DATE_TAG,
  STALE_GRACE_MINUTES,
} from './createHandler';
export { parseLauncherConfig } from './parseLauncherConfig';
export {
  LauncherError,
  LauncherConfigError,
  LaunchTemplateNotFoundError,
  NoCapacityError,
} from './errors';
export type {
  HandlerDeps,
  LaunchAttempt,
  LaunchEvent,
  LaunchResult,
  LauncherConfig,
  StaleInstance,
} from './types';
