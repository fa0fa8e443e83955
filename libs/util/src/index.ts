export { LOG_LEVELS, noopLogger } from './logger';
export type { Logger, LogLevel } from './logger';
export {
  EXIT_OK,
  EXIT_FAILED,
  EXIT_BAD_INPUT,
  exitKindOf,
  exitCodeOf,
  errorMessage,
  InvalidDateError,
} from './errors';
export type { ExitKind, HasExitKind } from './errors';
export {
  DAY_MS,
  MIN_DAY,
  MAX_DAY,
  isoDateToDay,
  calendarDay,
  dayToIsoDate,
  isIsoDate,
  requireIsoDay,
  isoDate,
  addDays,
  daysBetween,
  weekdayOfDay,
  sparkDayOfWeek,
  isWeekday,
} from './dates';
export type { Weekday } from './dates';
export { sleep, fullJitterDelayMs, equalJitterDelayMs } from './sleep';
export type { BackoffOptions } from './sleep';
export { round2 } from './numbers';
export { renderTextTable } from './textTable';
export type { Align, TextTableOptions } from './textTable';
export { asFloat64, fitsFloat32, isSeriesValues, seriesTypeFor } from './series';
export type { SeriesValues, SeriesValuesConstructor } from './series';
export { samplePoisson, seededRandom } from './random';
