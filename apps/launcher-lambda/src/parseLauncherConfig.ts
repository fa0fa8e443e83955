import { z } from 'zod';
import { DEFAULT_METRICS_SERVICE } from '@retail-forecast/job-contract';
import { LauncherConfigError } from './errors';
import type { LauncherConfig } from './types';

const list = (name: string, item: RegExp, example: string) =>
  z
    .string({ error: `${name} is missing (expected a comma-separated list, e.g. "${example}")` })
    .transform((raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(
      z
        .array(
          z.string().regex(item, {
            error: (i) => `${name} entry "${String(i.input)}" is not valid (e.g. "${example}")`,
          }),
        )
        .min(1, { error: `${name} is empty (expected at least one entry, e.g. "${example}")` }),
    );

const schema = z.object({
  LAUNCH_TEMPLATE_ID: z
    .string({ error: 'LAUNCH_TEMPLATE_ID is missing (expected "lt-" followed by hex digits)' })
    .regex(/^lt-[0-9a-f]{8,17}$/, {
      error: (i) =>
        `LAUNCH_TEMPLATE_ID "${String(i.input)}" is not a launch template id (expected "lt-" followed by hex digits)`,
    }),
  LAUNCH_TEMPLATE_VERSION: z
    .string()
    .regex(/^(\$Latest|\$Default|[1-9]\d*)$/, {
      error: (i) =>
        `LAUNCH_TEMPLATE_VERSION "${String(i.input)}" is not valid (expected a version number, "$Latest" or "$Default")`,
    })
    .default('$Latest'),
  INSTANCE_TYPES: list('INSTANCE_TYPES', /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 't4g.small,t4g.medium'),
  SUBNET_IDS: list('SUBNET_IDS', /^subnet-[0-9a-f]{8,17}$/, 'subnet-0123456789abcdef0'),
  JOB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
      error: (i) =>
        `JOB_NAME "${String(i.input)}" is not valid (expected 1-63 letters, digits, ".", "_" or "-")`,
    })
    .default('demand-forecast'),
  MAX_RUN_MINUTES: z
    .string()
    .regex(/^\d+$/, {
      error: (i) =>
        `MAX_RUN_MINUTES "${String(i.input)}" is not a whole number of minutes (expected 5-720)`,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(5, { error: (i) => `MAX_RUN_MINUTES ${String(i.input)} is below 5 (expected 5-720)` })
        .max(720, {
          error: (i) => `MAX_RUN_MINUTES ${String(i.input)} is above 720 (expected 5-720)`,
        }),
    )
    .default(60),
  METRICS_SERVICE: z
    .string()
    .max(255, {
      error: 'METRICS_SERVICE is longer than 255 characters (a CloudWatch dimension value)',
    })
    .default(DEFAULT_METRICS_SERVICE),
});

/**
 * Reads the launcher settings from an environment map. Empty strings count as unset, so a
 * blank variable in the console gets the default rather than failing the regex.
 * @throws LauncherConfigError naming every missing or malformed variable
 */
export function parseLauncherConfig(env: Record<string, string | undefined>): LauncherConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new LauncherConfigError(parsed.error.issues.map((i) => i.message));
  }
  const v = parsed.data;
  return {
    launchTemplateId: v.LAUNCH_TEMPLATE_ID,
    launchTemplateVersion: v.LAUNCH_TEMPLATE_VERSION,
    instanceTypes: v.INSTANCE_TYPES,
    subnetIds: v.SUBNET_IDS,
    jobName: v.JOB_NAME,
    maxRunMinutes: v.MAX_RUN_MINUTES,
    metricsService: v.METRICS_SERVICE,
  };
}
