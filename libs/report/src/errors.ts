import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/**
 * Base class of every error thrown by `@retail-forecast/report`: all `failure` (exit 1), since the
 * job builds the model and reads the chart library itself, so one reaching here is a bug or a
 * broken install rather than bad input.
 */
export class ReportError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportError';
  }
}

/** The chart library's script or style sheet cannot be inlined safely (empty, or it would end its own element). */
export class ChartLibraryError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChartLibraryError';
  }
}

/** A `ReportModel` value the page could not show truthfully (a bad date, mismatched lengths). */
export class InvalidReportModelError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidReportModelError';
  }
}
