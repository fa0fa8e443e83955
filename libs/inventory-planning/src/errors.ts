import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Base of every error thrown by `@retail-forecast/inventory-planning`. */
export class InventoryPlanningError extends Error implements HasExitKind {
  /** A planning error is a caller's bug, not bad data or configuration: exit 1. */
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InventoryPlanningError';
  }
}

/** An argument is outside what the function accepts (a negative or fractional row count...). */
export class InvalidPlanningArgumentError extends InventoryPlanningError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPlanningArgumentError';
  }
}
