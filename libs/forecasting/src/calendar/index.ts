export { calendarRegressors, holidayName, HOLIDAY_BEFORE, HOLIDAY_AFTER } from './regressors';
export type { CalendarOptions } from './regressors';
export { parseHolidayRegion, publicHolidays } from './holidays';
export type { HolidayRegion } from './holidays';
export { fourierColumns, fourierName, FOURIER_MIN_DAYS, MAX_FOURIER_K, YEAR_DAYS } from './fourier';
export { eventColumns, eventName } from './events';
export type { EventScope, PlannedEvent } from './events';
export { calendarCandidate, DHR, sparseDummies } from './dhr';
