import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Logger } from '@retail-forecast/util';

/** Launcher settings, parsed once from the Lambda environment at cold start. */
export interface LauncherConfig {
  /** `lt-...` id of the forecast job's launch template. */
  launchTemplateId: string;
  /** Launch template version: a number, `$Latest` or `$Default`. */
  launchTemplateVersion: string;
  /** Instance types to try in order; the next one is used on InsufficientInstanceCapacity. */
  instanceTypes: string[];
  /** Subnets to try in order (one per AZ gives a second chance at capacity). */
  subnetIds: string[];
  /** Value of the `forecast:job` tag; identifies this job's instances. */
  jobName: string;
}

export interface HandlerDeps {
  ec2: EC2Client;
  config: LauncherConfig;
  /** Powertools `Logger` in Lambda; default: drops everything. */
  logger?: Logger;
  /** Clock used when the event carries no `time`; injectable for tests. */
  now?: () => Date;
}

/** The subset of an EventBridge scheduled event the handler reads. */
export interface LaunchEvent {
  /** ISO 8601 time of the schedule tick; its UTC date becomes the run date. */
  time?: string;
}

export interface LaunchAttempt {
  instanceType: string;
  subnetId: string;
  errorCode: string;
}

export type LaunchResult =
  | {
      status: 'launched';
      instanceId: string;
      instanceType: string;
      subnetId: string;
      runDate: string;
      /** Capacity failures met before this launch succeeded. */
      attempts: LaunchAttempt[];
    }
  | {
      status: 'already-running';
      instanceId: string;
      state: string;
      runDate: string;
      /** The `forecast:run-date` tag of the instance that is still going. */
      instanceRunDate: string | undefined;
    };
