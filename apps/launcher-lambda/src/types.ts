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
  /** The instance's watchdog limit; an active instance older than this (plus a grace) is stale. */
  maxRunMinutes: number;
  /** `Service` dimension of the launcher's metrics (the job's, so the alarms see both). */
  metricsService: string;
}

export interface HandlerDeps {
  ec2: EC2Client;
  config: LauncherConfig;
  /** Powertools `Logger` in Lambda; default: drops everything. */
  logger?: Logger;
  /** Clock for stale-instance checks and for the run date when the event has no `time`. */
  now?: () => Date;
  /**
   * Receives one CloudWatch EMF record per metric report, as a JSON line. Default: written raw
   * to stdout, which Lambda puts in the function's log group, where CloudWatch extracts it.
   */
  emitMetrics?: (line: string) => void;
}

/** The subset of an EventBridge scheduled event the handler reads. */
export interface LaunchEvent {
  /** ISO 8601 time of the schedule tick; its UTC date becomes the run date. */
  time?: string;
  /**
   * A manual re-run of a date that was already launched: any new value (1-32 letters, digits,
   * ".", "_" or "-") gives a new client token, so EC2 launches again instead of answering with
   * the earlier instance.
   */
  rerun?: string;
}

/** An instance still active past the maximum run time, terminated so the day's run can start. */
export interface StaleInstance {
  instanceId: string;
  launchTime: string;
  instanceRunDate: string | undefined;
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
      /** Stale instances terminated before this launch (absent when none). */
      staleTerminated?: StaleInstance[];
    }
  | {
      /**
       * EC2 answered with the instance an earlier invocation launched for the same run date
       * (same client token), and it is no longer active: a duplicate delivery of a finished run.
       */
      status: 'already-launched';
      instanceId: string;
      state: string;
      runDate: string;
      clientToken: string;
    }
  | {
      status: 'already-running';
      instanceId: string;
      state: string;
      runDate: string;
      /** The `forecast:run-date` tag of the instance that is still going. */
      instanceRunDate: string | undefined;
    };
