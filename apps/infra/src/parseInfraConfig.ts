import type { Node } from 'constructs';
import { z } from 'zod';
import {
  GUARDRAIL_MODES,
  HOLIDAYS_PATTERN,
  JOB_DEFAULTS,
  MAX_SHARDS,
  MODEL_MODES,
  planForCatalog,
} from '@retail-forecast/job-contract';
import { InfraConfigError } from './errors';
import type { InfraConfig } from './types';

/** Context keys the app reads (`cdk.json` "context" or `-c key=value`). */
export const CONTEXT_KEYS = [
  'stackName',
  'existingGoldBucketName',
  'existingInventoryTableName',
  'forecastModel',
  'modelIds',
  'chronos2Endpoints',
  'forecastGuardrail',
  'schedule',
  'instanceTypes',
  'maxRunMinutes',
  'alarmEmail',
  'vpcId',
  'subnetIds',
  'logRetentionDays',
  'jobName',
  'goldBucketKmsKeyArn',
  'bootstrapBucketKmsKeyArn',
  'ebsKmsKeyArn',
  'subnetEgress',
  'accuracyAlarmFactor',
  'forecastModelMode',
  'forecastHolidays',
  'batchThreshold',
  'shards',
  'catalogProducts',
] as const;

/**
 * How imported subnets reach AWS APIs and the dnf repositories; nothing at synth can tell.
 * - `internet-gateway`: a route 0.0.0.0/0 to an internet gateway, and public IPv4 on launch;
 * - `nat`: a route 0.0.0.0/0 to a NAT gateway (or instance);
 * - `vpc-endpoints`: no internet; the stack adds interface endpoints, and the route tables
 *   already have S3 and DynamoDB gateway endpoints.
 */
export const SUBNET_EGRESS = ['internet-gateway', 'nat', 'vpc-endpoints'] as const;

/** System-defined cross-region inference profiles start with a geography. */
export const PROFILE_PREFIX = /^(us|eu|apac|us-gov|ca|jp|au|global)\./;
const FOUNDATION_MODEL = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;
export const ENDPOINT_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:endpoint\/[A-Za-z0-9-]+$/;
/** SageMaker's `EndpointName` pattern (1-63 characters). */
export const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const CHRONOS2_ENDPOINT = new RegExp(`(${ENDPOINT_NAME.source})|(${ENDPOINT_ARN.source})`);
/** A KMS key ARN (IAM needs the key ARN, not an alias); multi-Region keys start with mrk-. */
const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** CloudWatch Logs accepts only these retention periods. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

const show = (v: unknown) => JSON.stringify(v);

/** `-c key=a,b` gives a string; cdk.json may give a real array. */
const list = (key: string, item: RegExp, example: string) =>
  z
    .union([z.array(z.string()), z.string()], {
      error: (i) => `${key} ${show(i.input)} is not a list (expected e.g. "${example}")`,
    })
    .transform((v) =>
      (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0),
    )
    .pipe(
      z.array(
        z.string().regex(item, {
          error: (i) => `${key} entry ${show(i.input)} is not valid (expected e.g. "${example}")`,
        }),
      ),
    );

const integer = (key: string, min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)], {
      error: (i) => `${key} ${show(i.input)} is not a whole number (expected ${min}-${max})`,
    })
    .pipe(
      z
        .number()
        .int({
          error: (i) => `${key} ${show(i.input)} is not a whole number (expected ${min}-${max})`,
        })
        .min(min, {
          error: (i) => `${key} ${show(i.input)} is below ${min} (expected ${min}-${max})`,
        })
        .max(max, {
          error: (i) => `${key} ${show(i.input)} is above ${max} (expected ${min}-${max})`,
        }),
    );

const pattern = (key: string, re: RegExp, allowed: string) =>
  z
    .string({ error: (i) => `${key} ${show(i.input)} is not a string (expected ${allowed})` })
    .regex(re, { error: (i) => `${key} ${show(i.input)} is not valid (expected ${allowed})` });

const modelIdPattern = new RegExp(`(${FOUNDATION_MODEL.source})|(${ENDPOINT_ARN.source})`);

const schema = z.object({
  stackName: pattern(
    'stackName',
    /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    'letters, digits and "-", starting with a letter',
  ).default('RetailDemandForecast'),
  existingGoldBucketName: pattern(
    'existingGoldBucketName',
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'an S3 bucket name',
  ).optional(),
  existingInventoryTableName: pattern(
    'existingInventoryTableName',
    /^[A-Za-z0-9_.-]{3,255}$/,
    'a DynamoDB table name',
  ).optional(),
  forecastModel: z
    .string({ error: (i) => `forecastModel ${show(i.input)} is not a string` })
    .refine(
      (m) =>
        m === 'statistical' ||
        (m.startsWith('bedrock:') && FOUNDATION_MODEL.test(m.slice('bedrock:'.length))) ||
        (m.startsWith('chronos:') && ENDPOINT_ARN.test(m.slice('chronos:'.length))) ||
        (m.startsWith('chronos2:') && CHRONOS2_ENDPOINT.test(m.slice('chronos2:'.length))),
      {
        error: (i) =>
          `forecastModel ${show(i.input)} is not valid (expected "statistical", "bedrock:<model or inference profile id>", "chronos:<SageMaker endpoint ARN>" or "chronos2:<SageMaker endpoint name or ARN>")`,
      },
    )
    .default('statistical'),
  modelIds: list(
    'modelIds',
    modelIdPattern,
    'anthropic.claude-3-5-haiku-20241022-v1:0,us.amazon.nova-lite-v1:0',
  ).default([]),
  forecastModelMode: z
    .enum(MODEL_MODES, {
      error: (i) =>
        `forecastModelMode ${show(i.input)} is not valid (expected sync, batch or auto)`,
    })
    .default(JOB_DEFAULTS.modelMode),
  batchThreshold: integer('batchThreshold', 1, 10_000_000).optional(),
  forecastHolidays: pattern(
    'forecastHolidays',
    HOLIDAYS_PATTERN,
    'a country or country-region code such as US, US-CA or DE-BY',
  ).optional(),
  chronos2Endpoints: list(
    'chronos2Endpoints',
    CHRONOS2_ENDPOINT,
    'chronos-2-endpoint,arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-2-b',
  ).default([]),
  forecastGuardrail: z
    .enum(GUARDRAIL_MODES, {
      error: (i) =>
        `forecastGuardrail ${show(i.input)} is not valid (expected enforce, warn or off)`,
    })
    .optional(),
  schedule: pattern(
    'schedule',
    /^(cron\(\S+ \S+ \S+ \S+ \S+ \S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/,
    'an EventBridge expression such as "cron(0 1 * * ? *)" or "rate(1 day)"',
  ).default('cron(0 1 * * ? *)'),
  instanceTypes: list(
    'instanceTypes',
    /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
    't4g.small,t4g.medium',
  ).optional(),
  maxRunMinutes: integer('maxRunMinutes', 5, 720).optional(),
  shards: integer('shards', 1, MAX_SHARDS).default(1),
  catalogProducts: integer('catalogProducts', 1, 1_000_000_000).optional(),
  alarmEmail: z
    .email({ error: (i) => `alarmEmail ${show(i.input)} is not an e-mail address` })
    .optional(),
  vpcId: pattern('vpcId', /^vpc-[0-9a-f]{8,17}$/, '"vpc-" followed by hex digits').optional(),
  subnetIds: list('subnetIds', /^subnet-[0-9a-f]{8,17}$/, 'subnet-0123456789abcdef0').optional(),
  logRetentionDays: integer('logRetentionDays', 1, 3653)
    .refine((d) => RETENTION_DAYS.includes(d), {
      error: (i) =>
        `logRetentionDays ${show(i.input)} is not a CloudWatch Logs retention (expected one of ${RETENTION_DAYS.join(', ')})`,
    })
    .default(30),
  accuracyAlarmFactor: z
    .union(
      [
        z.number(),
        z
          .string()
          .regex(/^\d+(\.\d+)?$/)
          .transform(Number),
      ],
      {
        error: (i) =>
          `accuracyAlarmFactor ${show(i.input)} is not a number (expected a factor above 1, e.g. 1.5)`,
      },
    )
    .pipe(
      z.number().refine((v) => v > 1 && v <= 100, {
        error: (i) =>
          `accuracyAlarmFactor ${show(i.input)} is not allowed (expected a factor above 1 and at most 100)`,
      }),
    )
    .default(JOB_DEFAULTS.accuracyAlarmFactor),
  jobName: pattern(
    'jobName',
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    '1-63 letters, digits, ".", "_" or "-"',
  ).default('demand-forecast'),
  goldBucketKmsKeyArn: pattern('goldBucketKmsKeyArn', KMS_KEY_ARN, 'a KMS key ARN').optional(),
  bootstrapBucketKmsKeyArn: pattern(
    'bootstrapBucketKmsKeyArn',
    KMS_KEY_ARN,
    'a KMS key ARN',
  ).optional(),
  ebsKmsKeyArn: pattern('ebsKmsKeyArn', KMS_KEY_ARN, 'a KMS key ARN').optional(),
  subnetEgress: z
    .enum(SUBNET_EGRESS, {
      error: (i) =>
        `subnetEgress ${show(i.input)} is not valid (expected ${SUBNET_EGRESS.join(', ')})`,
    })
    .optional(),
});

/** Without `catalogProducts`: small catalogs (the sizing table's first two tiers). */
const DEFAULT_INSTANCE_TYPES = ['t4g.small', 't4g.medium', 'm7g.medium'];
const DEFAULT_MAX_RUN_MINUTES = 60;

/** Graviton families carry a "g" right after the generation digit: t4g, m7gd, c7gn, is4gen. */
const isArm = (instanceType: string) => /^[a-z]+\d+g/.test(instanceType.split('.')[0]);

/**
 * Turns raw CDK context into a typed config. Values may be strings (from `-c`) or JSON
 * (from cdk.json); empty strings count as unset.
 * @throws InfraConfigError naming every bad value, the value seen and what is allowed
 */
export function parseInfraConfig(context: Record<string, unknown>): InfraConfig {
  const cleaned = Object.fromEntries(
    Object.entries(context).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new InfraConfigError(parsed.error.issues.map((i) => i.message));
  }
  const v = parsed.data;
  const issues: string[] = [];

  // Sizing (job-contract's table): each run or shard holds ⌈catalogProducts / shards⌉ products.
  const perShard = v.catalogProducts && Math.ceil(v.catalogProducts / v.shards);
  const plan = perShard ? planForCatalog(perShard) : undefined;
  if (plan && v.catalogProducts && plan.shards > 1) {
    issues.push(
      `catalogProducts ${v.catalogProducts} in shards ${v.shards} gives ${perShard} products per run, more than the largest instance type of the sizing table holds (expected shards of at least ${planForCatalog(v.catalogProducts).shards})`,
    );
  }
  if (plan && v.maxRunMinutes !== undefined && v.maxRunMinutes < plan.watchdogMinutes) {
    issues.push(
      `maxRunMinutes ${v.maxRunMinutes} is below the ${plan.watchdogMinutes} minutes the sizing table gives ${perShard} products per run on ${plan.instanceType} (expected at least ${plan.watchdogMinutes}, or leave it unset)`,
    );
  }
  if (v.shards > 1 && v.catalogProducts === undefined) {
    issues.push(
      `shards ${v.shards} needs catalogProducts (expected the catalog's product count: it sizes each shard's container memory, instance type and time-out)`,
    );
  }
  if (v.shards > 1 && v.subnetEgress === 'vpc-endpoints') {
    issues.push(
      `shards ${v.shards} with subnetEgress "vpc-endpoints" is not supported (expected internet-gateway or nat: the shard containers pull the public Amazon Linux image from public.ecr.aws)`,
    );
  }
  const instanceTypes = v.instanceTypes ?? (plan ? [plan.instanceType] : DEFAULT_INSTANCE_TYPES);
  const maxRunMinutes = v.maxRunMinutes ?? plan?.watchdogMinutes ?? DEFAULT_MAX_RUN_MINUTES;

  if (instanceTypes.length === 0) {
    issues.push('instanceTypes is empty (expected at least one instance type, e.g. "t4g.small")');
  }
  const arches = new Set(instanceTypes.map((t) => (isArm(t) ? 'arm64' : 'x86_64')));
  if (arches.size > 1) {
    issues.push(
      `instanceTypes ${show(instanceTypes)} mix arm64 and x86_64 (expected one architecture: they share one AMI)`,
    );
  }
  if ((v.subnetIds === undefined) !== (v.vpcId === undefined)) {
    issues.push(
      `vpcId ${show(v.vpcId ?? null)} and subnetIds ${show(v.subnetIds ?? null)} must be given together (expected both or neither)`,
    );
  }
  if (v.subnetIds !== undefined && v.subnetIds.length === 0) {
    issues.push('subnetIds is empty (expected at least one subnet id)');
  }
  if (v.subnetIds !== undefined && v.vpcId !== undefined && v.subnetEgress === undefined) {
    issues.push(
      `subnetIds ${show(v.subnetIds)} are imported, so synth cannot see their routes and the instance could not reach S3, CloudWatch or the dnf repositories without saying so: set subnetEgress to "internet-gateway" (route 0.0.0.0/0 to an internet gateway and public IPv4 on launch), "nat" (route 0.0.0.0/0 to a NAT gateway) or "vpc-endpoints" (the stack adds interface endpoints; S3 and DynamoDB gateway endpoints must exist)`,
    );
  }
  if (v.subnetEgress !== undefined && v.subnetIds === undefined) {
    issues.push(
      `subnetEgress ${show(v.subnetEgress)} is set without subnetIds (expected only with imported subnets: the created VPC has public subnets)`,
    );
  }
  if (v.goldBucketKmsKeyArn !== undefined && v.existingGoldBucketName === undefined) {
    issues.push(
      'goldBucketKmsKeyArn is set without existingGoldBucketName (expected only for an imported bucket: the created one uses SSE-S3)',
    );
  }
  if (v.forecastModelMode !== 'sync' && !v.forecastModel.startsWith('bedrock:')) {
    issues.push(
      `forecastModelMode ${show(v.forecastModelMode)} needs a Converse model (forecastModel "bedrock:<id>"; got ${show(v.forecastModel)}): batch inference jobs run Converse models`,
    );
  }
  if (issues.length > 0) throw new InfraConfigError(issues);

  const modelIds = [...v.modelIds];
  const sagemakerEndpoints = [...v.chronos2Endpoints];
  if (v.forecastModel.startsWith('chronos2:')) {
    const endpoint = v.forecastModel.slice('chronos2:'.length);
    if (!sagemakerEndpoints.includes(endpoint)) sagemakerEndpoints.unshift(endpoint);
  } else {
    const selected = v.forecastModel.replace(/^(bedrock|chronos):/, '');
    if (v.forecastModel !== 'statistical' && !modelIds.includes(selected))
      modelIds.unshift(selected);
  }

  return {
    stackName: v.stackName,
    existingGoldBucketName: v.existingGoldBucketName,
    existingInventoryTableName: v.existingInventoryTableName,
    forecastModel: v.forecastModel,
    modelIds,
    sagemakerEndpoints,
    forecastGuardrail: v.forecastGuardrail,
    forecastModelMode: v.forecastModelMode,
    batchThreshold: v.batchThreshold,
    forecastHolidays: v.forecastHolidays?.toUpperCase(),
    schedule: v.schedule,
    instanceTypes,
    architecture: arches.has('arm64') ? 'arm64' : 'x86_64',
    maxRunMinutes,
    shards: v.shards,
    catalogProducts: v.catalogProducts,
    shardPlan: plan,
    alarmEmail: v.alarmEmail,
    vpcId: v.vpcId,
    subnetIds: v.subnetIds,
    logRetentionDays: v.logRetentionDays,
    jobName: v.jobName,
    goldBucketKmsKeyArn: v.goldBucketKmsKeyArn,
    bootstrapBucketKmsKeyArn: v.bootstrapBucketKmsKeyArn,
    ebsKmsKeyArn: v.ebsKmsKeyArn,
    subnetEgress: v.subnetEgress,
    accuracyAlarmFactor: v.accuracyAlarmFactor,
  };
}

/** Collects the known keys from a construct's context (normally the App's). */
export function readInfraContext(node: Node): Record<string, unknown> {
  return Object.fromEntries(CONTEXT_KEYS.map((k) => [k, node.tryGetContext(k)]));
}
