import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './errors';

export type ModelSpec =
  | { kind: 'statistical'; id: 'statistical' }
  | { kind: 'bedrock'; id: string }
  | { kind: 'chronos'; id: string };

export type GuardrailMode = 'enforce' | 'warn' | 'off';

/** Everything a run needs, parsed once at the edge. */
export interface RunConfig {
  runId: string;
  /** `s3://bucket/prefix/` or a local file/directory. */
  source: string;
  /** DynamoDB table; absent only with dryRun. */
  table?: string;
  asOf?: string;
  horizon: number;
  model: ModelSpec;
  guardrail: GuardrailMode;
  output?: string;
  dryRun: boolean;
  json: boolean;
  /** Parallel DynamoDB updates / Bedrock requests. */
  concurrency: number;
  /** Forecasting worker threads (0 = one per core, minus one). */
  workers: number;
  /** File where the job appends CloudWatch Embedded Metric Format lines. */
  metricsFile?: string;
  region?: string;
}

export interface RunFlags {
  source?: string;
  table?: string;
  asOf?: string;
  horizon?: string | number;
  model?: string;
  guardrail?: string;
  output?: string;
  dryRun?: boolean;
  json?: boolean;
  concurrency?: string | number;
  workers?: string | number;
  metricsFile?: string;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );

export function parseModelSpec(value: string): ModelSpec {
  const v = value.trim();
  if (v === 'statistical' || v === 'stat') return { kind: 'statistical', id: 'statistical' };
  const m = /^(bedrock|chronos):(.+)$/.exec(v);
  if (m) return { kind: m[1] as 'bedrock' | 'chronos', id: m[2] };
  throw new ConfigError(
    `--model "${value}" is not a model (expected statistical, bedrock:<modelId or inference profile id> or chronos:<endpoint ARN or model id>)`,
  );
}

function intIn(
  name: string,
  raw: string | number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `${name} "${raw}" is not valid (expected a whole number from ${min} to ${max})`,
    );
  }
  return n;
}

/**
 * Flags win over environment variables; each missing value is named in the error so the
 * EC2 user data's log says exactly what to set.
 */
export function resolveRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv): RunConfig {
  const missing: string[] = [];
  const source =
    flags.source ??
    env.FORECAST_SOURCE ??
    (env.GOLD_BUCKET ? `s3://${env.GOLD_BUCKET}/forecast_ready/` : undefined);
  if (!source) missing.push('--source (or GOLD_BUCKET / FORECAST_SOURCE)');
  const dryRun = Boolean(flags.dryRun);
  const table = flags.table ?? env.FORECAST_TABLE;
  if (!dryRun && !table) missing.push('--table (or FORECAST_TABLE)');
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const needsAws = (source?.startsWith('s3://') ?? false) || !dryRun;
  const model = parseModelSpec(flags.model ?? env.FORECAST_MODEL ?? 'statistical');
  if (!region && (needsAws || model.kind !== 'statistical')) missing.push('AWS_REGION');
  if (missing.length > 0) throw new ConfigError(`missing configuration: ${missing.join(', ')}`);

  const asOf = flags.asOf ?? env.FORECAST_AS_OF;
  if (asOf !== undefined) {
    const parsed = isoDate.safeParse(asOf);
    if (!parsed.success)
      throw new ConfigError(`--as-of "${asOf}" is not a date (expected YYYY-MM-DD)`);
  }
  const guardrail = (flags.guardrail ?? env.FORECAST_GUARDRAIL ?? 'enforce') as GuardrailMode;
  if (!['enforce', 'warn', 'off'].includes(guardrail)) {
    throw new ConfigError(
      `--guardrail "${guardrail}" is not valid (expected enforce, warn or off)`,
    );
  }
  return {
    runId: env.FORECAST_RUN_ID ?? randomUUID(),
    source: source as string,
    table,
    asOf,
    horizon: intIn('--horizon', flags.horizon ?? env.FORECAST_HORIZON, 7, 1, 90),
    model,
    guardrail,
    output: flags.output,
    dryRun,
    json: Boolean(flags.json),
    concurrency: intIn('--concurrency', flags.concurrency ?? env.FORECAST_CONCURRENCY, 16, 1, 256),
    workers: intIn('--workers', flags.workers ?? env.FORECAST_WORKERS, 0, 0, 64),
    metricsFile: flags.metricsFile ?? env.FORECAST_METRICS_FILE,
    region,
  };
}
