export { createHandler, JOB_TAG, RUN_DATE_TAG } from './createHandler';
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
} from './types';
