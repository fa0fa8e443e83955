// `npm start`: the whole daily job on this machine, no AWS account needed. Starts local S3 and
// DynamoDB (real wire protocols on 127.0.0.1, ephemeral ports), writes demo Gold Parquet data,
// seeds the inventory table, runs the same CLI/job the EC2 instance runs, prints the forecasts
// and shuts everything down.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer';
import {
  generateDemoDataset,
  startLocalDynamo,
  startLocalS3,
  writeGoldParquetParts,
} from '@retail-forecast/local-aws';
import { startBedrockStandin } from '@retail-forecast/bedrock-standin';
import { runCli } from './cli';

const BUCKET = 'demo-gold-zone';
const TABLE = 'RetailInventoryTable';
// s3rver accepts only its own well-known key; dynalite accepts any.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '300' },
      days: { type: 'string', default: '400' },
      model: { type: 'string', default: 'statistical' },
      output: { type: 'string', default: 'out/demo-forecasts.jsonl' },
      'end-date': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const s3Server = await startLocalS3({ buckets: [BUCKET] });
  const dynamoServer = await startLocalDynamo();
  const standin =
    values.model.startsWith('bedrock:') || values.model.startsWith('chronos:')
      ? await startBedrockStandin()
      : undefined;
  log(
    `local S3 (s3rver) at ${s3Server.endpoint}, local DynamoDB (dynalite) at ${dynamoServer.endpoint}${standin ? `, Bedrock stand-in at ${standin.url}` : ''}`,
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3Server.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoServer.endpoint,
    ...(standin ? { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url } : {}),
    GOLD_BUCKET: BUCKET,
    FORECAST_TABLE: TABLE,
  };
  // The SDK reads endpoints from the process environment when clients are created.
  Object.assign(process.env, env);

  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: s3Server.endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const dynamodb = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamoServer.endpoint,
    credentials: CREDENTIALS,
  });
  try {
    const demo = generateDemoDataset({
      products: Number(values.products),
      days: Number(values.days),
      endDate: values['end-date'],
    });
    const parts = writeGoldParquetParts(demo.rows, 4);
    for (const part of parts) {
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `forecast_ready/${part.name}`,
          Body: part.body,
        }),
      );
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'forecast_ready/_SUCCESS',
        Body: new Uint8Array(0),
      }),
    );
    log(
      `demo Gold data: ${demo.products.length} products, ${demo.rows.length} rows up to ${demo.endDate}, ${parts.length} Parquet part files in s3://${BUCKET}/forecast_ready/`,
    );

    await createInventoryTable(dynamodb, TABLE);
    await seedInventory(
      dynamodb,
      TABLE,
      demo.products.map((p) => ({
        product_id: p.product_id,
        product_name: p.product_name,
        category: p.category,
        price: p.price,
        rating: p.rating,
        ...(p.current_stock !== undefined ? { current_stock: p.current_stock } : {}),
        supplier: 'demo-supplier',
      })),
    );
    log(`seeded ${TABLE} with ${demo.products.length} items (stock levels, prices, ratings)`);

    const code = await runCli(['run', '--model', values.model, '--output', values.output], {
      stdout: process.stdout,
      stderr: process.stderr,
      env,
    });

    if (!values.quiet) {
      const lines = (await readFile(values.output, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      process.stdout.write(
        `\nForecasts for all ${lines.length} products (7-day P50 total, daily P50s, model):\n`,
      );
      for (const f of lines) {
        const daily = f.daily.map((d: { p50: number }) => d.p50.toFixed(1).padStart(6)).join('');
        process.stdout.write(
          `  ${f.product_id.padEnd(6)} ${String(f.product_name).slice(0, 26).padEnd(26)} ${f.forecasted_demand.toFixed(1).padStart(8)} |${daily} | ${f.model}${f.fallback_reason ? ` (fallback: ${f.fallback_reason})` : ''}\n`,
        );
      }
      const sample = await dynamodb.send(
        new GetItemCommand({ TableName: TABLE, Key: { product_id: { S: lines[0].product_id } } }),
      );
      if (sample.Item) {
        const item = unmarshall(sample.Item);
        process.stdout.write(
          `\nDynamoDB item ${item.product_id} after the run (other attributes kept):\n${JSON.stringify({ ...item, forecast: { ...item.forecast, daily: `[${item.forecast?.daily?.length} days]` } }, null, 2)}\n`,
        );
      }
    }
    return code;
  } finally {
    s3.destroy();
    dynamodb.destroy();
    await standin?.close();
    await dynamoServer.close();
    await s3Server.close();
  }
}

process.exitCode = await main().catch((err) => {
  process.stderr.write(
    `demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
});
