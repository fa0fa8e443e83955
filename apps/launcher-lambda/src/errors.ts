import type { ExitKind, HasExitKind } from '@retail-forecast/util';
import type { LaunchAttempt } from './types';

/** Base class of every error the launcher raises on purpose. */
export class LauncherError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LauncherError';
  }
}

/** An environment variable is missing or malformed; raised at cold start. */
export class LauncherConfigError extends LauncherError {
  override readonly exitKind: ExitKind = 'config';
  readonly issues: string[];

  constructor(issues: string[], options?: { cause?: unknown }) {
    super(`invalid launcher environment: ${issues.join('; ')}`, options);
    this.name = 'LauncherConfigError';
    this.issues = issues;
  }
}

/** The configured launch template (or its version) does not exist in this account/region. */
export class LaunchTemplateNotFoundError extends LauncherError {
  /** The deployment and the Lambda's environment disagree: no retry can succeed. */
  override readonly exitKind: ExitKind = 'config';
  readonly launchTemplateId: string;

  constructor(
    launchTemplateId: string,
    version: string,
    errorCode: string,
    options?: { cause?: unknown },
  ) {
    super(
      `launch template "${launchTemplateId}" version "${version}" was not found (${errorCode}); ` +
        'expected the template created by the infra stack: redeploy it or fix LAUNCH_TEMPLATE_ID',
      options,
    );
    this.name = 'LaunchTemplateNotFoundError';
    this.launchTemplateId = launchTemplateId;
  }
}

/** Every instance type in every subnet reported no capacity. */
export class NoCapacityError extends LauncherError {
  readonly attempts: LaunchAttempt[];

  constructor(attempts: LaunchAttempt[], options?: { cause?: unknown }) {
    const tried = attempts.map((a) => `${a.instanceType}@${a.subnetId}: ${a.errorCode}`);
    super(
      `no capacity for any configured instance type (${tried.join(', ')}); ` +
        'add instance types to INSTANCE_TYPES or subnets in other AZs to SUBNET_IDS',
      options,
    );
    this.name = 'NoCapacityError';
    this.attempts = attempts;
  }
}
