/**
 * The job's CloudWatch metrics: it writes them as Embedded Metric Format records (one per run) to
 * a log file the CloudWatch agent ships; the stack's alarms watch the same namespace, names and
 * dimension. Both sides import these values, so they cannot drift apart.
 */
export const METRICS_NAMESPACE = 'RetailDemandForecast';
/** Default value of the `Service` dimension (`FORECAST_METRICS_SERVICE` overrides it). */
export const DEFAULT_METRICS_SERVICE = 'demand-forecast';
/** The one dimension every job metric carries. */
export const METRICS_DIMENSION = 'Service';

/** Unit of each metric, by name (CloudWatch standard units). */
export const JOB_METRICS = {
  ProductsForecast: 'Count',
  ProductsWritten: 'Count',
  ProductsFailed: 'Count',
  Fallbacks: 'Count',
  RowsSkipped: 'Count',
  InputTokens: 'Count',
  OutputTokens: 'Count',
  DurationSeconds: 'Seconds',
  /** 1 for a run that exited 0, else 0; written by the user data too when the job never ran. */
  RunSuccess: 'Count',
  // Realized accuracy of earlier runs' archived forecasts against the actuals that have arrived
  // (see the README, "Accuracy tracking"); absent when no earlier forecast could be scored.
  /** Σ|P50 − actual| / Σ actual of each earlier forecast's first day. */
  WapeOneDayAhead: 'None',
  /** The same over each fully observed forecast's horizon totals (whatever the horizon). */
  WapeHorizonTotal: 'None',
  MaseOneDayAhead: 'None',
  MaseHorizonTotal: 'None',
  /** Σ(P50 − actual) / Σ actual; positive = over-forecast. */
  BiasOneDayAhead: 'None',
  BiasHorizonTotal: 'None',
  /** Share of actual days inside [P10, P90]. */
  CoverageOneDayAhead: 'None',
  CoverageHorizon: 'None',
  /** Products whose actuals fell outside [P10, P90] on most recent days. */
  ProductsMissingInterval: 'Count',
  /** 1 when the last week's horizon-total WAPE exceeds the alarm factor × its 28-day median. */
  AccuracyDegraded: 'Count',
} as const;

export type JobMetricName = keyof typeof JOB_METRICS;

/**
 * Metrics of the launcher Lambda, under the same namespace and `Service` dimension as the job's
 * (it prints them as EMF lines to its own log group); the stack alarms on them.
 */
export const LAUNCHER_METRICS = {
  /** Instances of the job still active past the maximum run time, terminated before a launch. */
  StaleInstancesTerminated: 'Count',
} as const;

export type LauncherMetricName = keyof typeof LAUNCHER_METRICS;

/** An EMF record: `_aws` metadata, the dimension, the metric values and searchable properties. */
export type EmfRecord = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
};

/** Options of an EMF record; `values` holds metrics of one catalogue (job or launcher). */
interface EmfOptions<Name extends string> {
  service: string;
  values: Partial<Record<Name, number>>;
  properties?: Record<string, string | number | undefined>;
  /** Epoch milliseconds. */
  timestamp: number;
}

function emfRecordOf<Name extends string>(
  units: Record<Name, string>,
  options: EmfOptions<Name>,
): EmfRecord {
  const names = (Object.keys(units) as Name[]).filter((n) => options.values[n] !== undefined);
  const record: EmfRecord = {
    _aws: {
      Timestamp: options.timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [[METRICS_DIMENSION]],
          Metrics: names.map((Name) => ({ Name, Unit: units[Name] })),
        },
      ],
    },
    [METRICS_DIMENSION]: options.service,
    ...options.properties,
  };
  for (const n of names) record[n] = options.values[n];
  return record;
}

/**
 * Builds one CloudWatch Embedded Metric Format record (see the EMF specification in the
 * CloudWatch user guide): the metrics given in `values`, under {@link METRICS_NAMESPACE} with the
 * `Service` dimension, plus `properties` (run id, as-of) that Logs Insights can query but that
 * are not metrics.
 * @param timestamp epoch milliseconds
 */
export function buildEmfRecord(options: EmfOptions<JobMetricName>): EmfRecord {
  return emfRecordOf(JOB_METRICS, options);
}

/** The launcher's EMF record, shaped like {@link buildEmfRecord}'s. */
export function buildLauncherEmfRecord(options: EmfOptions<LauncherMetricName>): EmfRecord {
  return emfRecordOf(LAUNCHER_METRICS, options);
}
