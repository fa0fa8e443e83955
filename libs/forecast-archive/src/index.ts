export { openForecastArchive, PARTITION_FILE } from './openForecastArchive';
export type { ForecastArchive } from './openForecastArchive';
export { parseArchiveLocation, partitionPrefix } from './location';
export {
  ForecastArchiveError,
  InvalidArchiveLocationError,
  ArchiveIoError,
  CorruptArchiveError,
} from './errors';
export type {
  ArchiveLocation,
  ArchivedForecast,
  ArchivedAccuracy,
  AsOfRange,
  ForecastArchiveOptions,
} from './types';
