import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import {
  createBedrockRuntimeClient,
  createSageMakerRuntimeClient,
} from '@retail-forecast/bedrock-client';
import { createS3Client } from '@retail-forecast/sales-data';
import { createWriterClient } from '@retail-forecast/dynamodb-writer';
import type { RemoteModelSpec, RunConfig } from './types';

export interface JobClients {
  s3?: S3Client;
  dynamodb?: DynamoDBClient;
  bedrock?: BedrockRuntimeClient;
  /** The Bedrock control plane, for batch inference jobs (`--model-mode batch|auto`). */
  bedrockControl?: BedrockClient;
  sagemaker?: SageMakerRuntimeClient;
  destroy(): void;
}

/**
 * Creates each client once at start-up. Region, credentials and endpoints come from the SDK's
 * own settings (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME,
 * profiles, instance role), so the same build talks to AWS or to local emulators. A chronos2
 * endpoint ARN sets the SageMaker client's region.
 * @param remote every remote model the command will ask (backtest: all of `--models`); default
 * the run's `config.model`
 */
export function createJobClients(
  config: RunConfig,
  env: NodeJS.ProcessEnv,
  remote: RemoteModelSpec[] = config.model.kind === 'statistical' ? [] : [config.model],
): JobClients {
  const customS3Endpoint = Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  const s3 = [
    config.source,
    config.archive,
    config.report,
    config.summaries,
    config.batch?.s3,
  ].some((uri) => uri?.startsWith('s3://'))
    ? // Local S3 emulators need path-style addressing; sales-data's client reads whole objects
      // on fresh connections with retries, and sends plain (non aws-chunked) bodies.
      createS3Client({ forcePathStyle: customS3Endpoint })
    : undefined;
  // The writer's client: its retry strategy (throttles are retried by the writer, in passes up
  // to a deadline) and one keep-alive socket per parallel update (see createWriterClient).
  const dynamodb = config.dryRun
    ? undefined
    : createWriterClient({}, { concurrency: config.concurrency });
  const bedrock = remote.some((m) => m.kind !== 'chronos2')
    ? createBedrockRuntimeClient({
        region: config.region,
        maxAttempts: 4,
        requestTimeoutMs: 60_000,
      })
    : undefined;
  // Endpoint from AWS_ENDPOINT_URL_BEDROCK, so a local stand-in can answer. `config.batch` is only
  // set for a Converse model (chronos and chronos2 have no batch inference).
  const bedrockControl = config.batch ? new BedrockClient({ region: config.region }) : undefined;
  // One SageMaker client: every chronos2 endpoint of a command is in one region (the first's).
  const chronos2 = remote.find((m) => m.kind === 'chronos2');
  const sagemaker = chronos2
    ? createSageMakerRuntimeClient({
        endpoint: chronos2.id,
        region: config.region,
        maxAttempts: 4,
        requestTimeoutMs: 60_000,
      })
    : undefined;
  return {
    s3,
    dynamodb,
    bedrock,
    bedrockControl,
    sagemaker,
    destroy() {
      s3?.destroy();
      dynamodb?.destroy();
      bedrock?.destroy();
      bedrockControl?.destroy();
      sagemaker?.destroy();
    },
  };
}
