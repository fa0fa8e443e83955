import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Base class of every error the infra app raises on purpose. */
export class InfraError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraError';
  }
}

/** A CDK context value or stack prop is missing or malformed; raised before any resource exists. */
export class InfraConfigError extends InfraError {
  override readonly exitKind: ExitKind = 'config';
  readonly issues: string[];

  constructor(issues: string[], options?: { cause?: unknown }) {
    super(`invalid infra configuration: ${issues.join('; ')}`, options);
    this.name = 'InfraConfigError';
    this.issues = issues;
  }
}
