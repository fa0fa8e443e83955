export type {
  QuantileForecast,
  FittedModel,
  Model,
  DemandClass,
  DailyForecast,
  SeriesForecast,
  ProductForecast,
} from './types';
export { forecastSeasonalRecentMean } from './placeholder';
