// `npm start`: the whole daily job on this machine, no AWS account needed. Starts local S3 and
// DynamoDB (real wire protocols on 127.0.0.1, ephemeral ports), writes demo Gold Parquet data,
// seeds the inventory table, replays the last weeks as daily runs into the forecast archive (so
// the run shows how accurate the earlier forecasts turned out), runs the same CLI/job the EC2
// instance runs, prints the forecasts, shuts everything down and names the run's HTML report
// (out/report.html) on its last line. A `bedrock:`/`chronos:`/`chronos2:` model is answered by the
// local stand-ins; `--model-mode batch|auto` with a `bedrock:` model also starts the batch
// inference job stand-in against the local S3.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { demoInventoryItems, generateDemoDataset, startLocalAws } from '@retail-forecast/local-aws';
import { startBatchStandin, startBedrockStandin } from '@retail-forecast/bedrock-standin';
import { ARCHIVE_PREFIX } from '@retail-forecast/job-contract';
import { addDays } from '@retail-forecast/util';
import { runCli } from './cli';

const BUCKET = 'demo-gold-zone';
const TABLE = 'RetailInventoryTable';
const ARCHIVE = `s3://${BUCKET}/${ARCHIVE_PREFIX}`;
/** The batch service role the stand-in's jobs run as (any role ARN of its account passes). */
const DEMO_BATCH_ROLE = 'arn:aws:iam::123456789012:role/demo-forecast-batch';

/** Collects a replay run's JSON summary instead of printing it. */
class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

/** A replayed run refused its settings (exit 2): the demo stops with the same exit code. */
class ReplayUsageError extends Error {}

/**
 * Replays the `days` daily runs before `endDate`, oldest first, into the archive: statistical, no
 * DynamoDB, only the archive, so the real run that follows can score what they forecast; with the
 * engine settings the final run gets (`engineArgs`), so the report's accuracy of earlier forecasts
 * is that engine's.
 * @throws ReplayUsageError when a run refuses its settings (exit 2), Error on any other failure
 */
async function replayDays(
  endDate: string,
  days: number,
  env: NodeJS.ProcessEnv,
  log: (s: string) => void,
  engineArgs: string[],
): Promise<void> {
  const started = performance.now();
  for (let back = days; back >= 1; back--) {
    const asOf = addDays(endDate, -back);
    const stdout = new Collect();
    const code = await runCli(
      [
        'run',
        '--as-of',
        asOf,
        '--model',
        'statistical',
        '--dry-run',
        '--archive',
        ARCHIVE,
        '--json',
        ...engineArgs,
      ],
      { stdout, stderr: process.stderr, env: { ...env, FORECAST_LOG_LEVEL: 'warn' } },
    );
    if (code === 2) throw new ReplayUsageError(`replay run as of ${asOf} exited 2 (bad settings)`);
    if (code !== 0) throw new Error(`replay run as of ${asOf} exited ${code}`);
    const wape = JSON.parse(stdout.text).accuracy?.overall.oneDayAhead.wape as number | undefined;
    log(
      `  replayed ${asOf} (${days - back + 1}/${days})${wape !== undefined ? `: one-day-ahead WAPE so far ${(wape * 100).toFixed(1)}%` : ''}`,
    );
  }
  log(
    `replayed ${days} daily run${days === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface JsonLine {
  product_id: string;
  horizon_days: number;
  product_name: string | null;
  forecasted_demand: number;
  daily: { p50: number }[];
  model: string;
  fallback_reason: string | null;
}

function printForecasts(lines: JsonLine[]): void {
  process.stdout.write(
    `\nForecasts for all ${lines.length} products (${lines[0]?.horizon_days ?? 0}-day expected total | daily P50s, the medians | model):\n`,
  );
  for (const f of lines) {
    const daily = f.daily.map((d) => d.p50.toFixed(1).padStart(6)).join('');
    const fallback = f.fallback_reason ? ` (fallback: ${f.fallback_reason})` : '';
    process.stdout.write(
      `  ${f.product_id.padEnd(6)} ${String(f.product_name).slice(0, 26).padEnd(26)} ${f.forecasted_demand.toFixed(1).padStart(8)} |${daily} | ${f.model}${fallback}\n`,
    );
  }
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  const program = new Command('npm start --')
    .description(
      'The demo on embedded data: local S3 and DynamoDB on 127.0.0.1, generated Gold Parquet, ' +
        'a replay of earlier days into the archive, then the daily run (see the README).',
    )
    .option('--products <n>', 'products to generate', '300')
    .option('--days <n>', 'days of history per product', '400')
    .option(
      '--model <spec>',
      'statistical, bedrock:local[-fault-<mode>], chronos:…, chronos2:<endpoint> (stand-ins)',
      'statistical',
    )
    .option('--output <file>', 'JSON Lines output', 'out/demo-forecasts.jsonl')
    .option('--report <file>', 'HTML report', 'out/report.html')
    .option('--end-date <date>', 'last day of generated data (YYYY-MM-DD)')
    .option('--replay-days <n>', 'earlier daily runs replayed into the archive', '16')
    .option('--model-mode <mode>', 'sync | batch | auto (Bedrock Converse models)')
    .option('--batch-threshold <n>', 'products from which auto uses a batch job')
    .option(
      '--holidays <country[-region]>',
      'public holidays as calendar regressors (US, US-CA, …)',
    )
    .option('--events <file>', 'known-future events CSV (date,scope,event,value)')
    .option(
      '--global-model <setting>',
      "on: one model across all products joins every product's race",
    )
    .option(
      '--combination <rule>',
      "how each product's best-validated models are combined (top3, top1, …, select, class)",
    )
    .option(
      '--outliers <setting>',
      'smooth demand fitted with one-off outliers replaced (clean, default) or as it was (keep)',
    )
    .option(
      '--level-shifts <setting>',
      'demand that moved 2× or more 3–13 weeks ago fitted since the shift (follow, default) or on the whole history (ignore)',
    )
    .option(
      '--weekday-profile <setting>',
      "young products' flat weeks spread by the category's or catalogue's weekday profile (catalogue, default) or kept as their models made them (own)",
    )
    .option('--quiet', 'print only the summary', false)
    .showHelpAfterError()
    .exitOverride();
  try {
    program.parse(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{
    products: string;
    days: string;
    model: string;
    output: string;
    report: string;
    endDate?: string;
    replayDays: string;
    modelMode?: string;
    batchThreshold?: string;
    holidays?: string;
    events?: string;
    globalModel?: string;
    combination?: string;
    outliers?: string;
    levelShifts?: string;
    weekdayProfile?: string;
    quiet: boolean;
  }>();
  const values = {
    products: opts.products,
    days: opts.days,
    model: opts.model,
    output: opts.output,
    report: opts.report,
    'end-date': opts.endDate,
    'replay-days': opts.replayDays,
    'model-mode': opts.modelMode,
    'batch-threshold': opts.batchThreshold,
    quiet: opts.quiet,
  };
  const modelMode = values['model-mode'];
  // The engine settings of every run, replayed days and the final one alike.
  const engineArgs = [
    ...(opts.holidays !== undefined ? ['--holidays', opts.holidays] : []),
    ...(opts.events !== undefined ? ['--events', opts.events] : []),
    ...(opts.globalModel !== undefined ? ['--global-model', opts.globalModel] : []),
    ...(opts.combination !== undefined ? ['--combination', opts.combination] : []),
    ...(opts.outliers !== undefined ? ['--outliers', opts.outliers] : []),
    ...(opts.levelShifts !== undefined ? ['--level-shifts', opts.levelShifts] : []),
    ...(opts.weekdayProfile !== undefined ? ['--weekday-profile', opts.weekdayProfile] : []),
  ];
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const local = await startLocalAws({ buckets: [BUCKET] });
  const standin = /^(bedrock|chronos2?):/.test(values.model)
    ? await startBedrockStandin()
    : undefined;
  // Batch jobs (CreateModelInvocationJob) go to the control-plane stand-in, which reads the records
  // from and writes the answers to the local S3; re-asks still go to the runtime stand-in.
  const batch =
    /^bedrock:/.test(values.model) && (modelMode === 'batch' || modelMode === 'auto')
      ? await startBatchStandin({
          s3: {
            endpoint: local.s3Endpoint,
            region: local.env.AWS_REGION,
            forcePathStyle: true,
            credentials: {
              accessKeyId: local.env.AWS_ACCESS_KEY_ID,
              secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
            },
          },
        })
      : undefined;
  try {
    log(
      `local S3 (s3rver) at ${local.s3Endpoint}, local DynamoDB (dynalite) at ${local.dynamodbEndpoint}${standin ? `, Bedrock stand-in at ${standin.url}` : ''}${standin && /^chronos2:/.test(values.model) ? `, SageMaker Runtime stand-in at ${standin.sagemakerUrl}` : ''}${batch ? `, batch inference job stand-in at ${batch.url}` : ''}`,
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...local.env,
      ...(standin
        ? {
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url,
            AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: standin.sagemakerUrl,
          }
        : {}),
      ...(batch
        ? {
            AWS_ENDPOINT_URL_BEDROCK: batch.url,
            FORECAST_BATCH_ROLE_ARN: DEMO_BATCH_ROLE,
            FORECAST_BATCH_S3: `s3://${BUCKET}/bedrock_batch/`,
            FORECAST_BATCH_POLL_SECONDS: '1',
          }
        : {}),
      GOLD_BUCKET: BUCKET,
      FORECAST_TABLE: TABLE,
    };
    // The SDK reads endpoints from the process environment when the job creates its clients.
    Object.assign(process.env, env);

    const demo = generateDemoDataset({
      products: Number(values.products),
      days: Number(values.days),
      endDate: values['end-date'],
    });
    const parts = await local.putGoldParquet(BUCKET, 'forecast_ready/', demo.rows);
    log(
      `demo Gold data: ${demo.products.length} products, ${demo.rows.length} rows up to ${demo.endDate}, ${parts} Parquet part files in s3://${BUCKET}/forecast_ready/`,
    );
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(
      local.dynamodb,
      TABLE,
      demoInventoryItems(demo, { supplier: 'demo-supplier' }),
    );
    log(`seeded ${TABLE} with ${demo.products.length} items (stock levels, prices, ratings)`);

    const replay = Number(values['replay-days']);
    if (replay > 0) {
      log(
        `replaying the ${replay === 1 ? 'day' : `${replay} days`} before ${demo.endDate} as ${replay === 1 ? 'a daily run' : 'daily runs'} into ${ARCHIVE}`,
      );
      try {
        await replayDays(demo.endDate, replay, env, log, engineArgs);
      } catch (err) {
        // The run has said what is wrong with its settings; the final run would say it again.
        if (err instanceof ReplayUsageError) return 2;
        throw err;
      }
    }

    const runArgs = [
      'run',
      '--model',
      values.model,
      '--output',
      values.output,
      '--report',
      values.report,
      ...(modelMode !== undefined ? ['--model-mode', modelMode] : []),
      ...(values['batch-threshold'] !== undefined
        ? ['--batch-threshold', values['batch-threshold']]
        : []),
      ...engineArgs,
    ];
    const code = await runCli([...runArgs, ...(replay > 0 ? ['--archive', ARCHIVE] : [])], {
      stdout: process.stdout,
      stderr: process.stderr,
      env,
    });
    if (!values.quiet && code !== 2) {
      const lines: JsonLine[] = (await readFile(values.output, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      printForecasts(lines);
      const sample = await local.dynamodb.send(
        new GetItemCommand({ TableName: TABLE, Key: { product_id: { S: lines[0].product_id } } }),
      );
      if (sample.Item) {
        const item = unmarshall(sample.Item);
        const shown = {
          ...item,
          forecast: { ...item.forecast, daily: `[${item.forecast?.daily?.length} days]` },
        };
        process.stdout.write(
          `\nDynamoDB item ${item.product_id} after the run (other attributes kept):\n${JSON.stringify(shown, null, 2)}\n`,
        );
      }
    }
    return code;
  } finally {
    await batch?.close();
    await standin?.close();
    await local.close();
    // The last line: where to look next, only when this run wrote it (never an older run's).
    if (existsSync(values.report) && statSync(values.report).mtimeMs >= startedAt - 1_000)
      process.stdout.write(`\nHTML report: ${resolve(values.report)}\n`);
  }
}

process.exitCode = await main().catch((err) => {
  process.stderr.write(
    `demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
});
