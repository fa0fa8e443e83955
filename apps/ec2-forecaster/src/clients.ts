import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { createBedrockRuntimeClient } from '@retail-forecast/bedrock-client';
import { createWriterClient } from '@retail-forecast/dynamodb-writer';
import type { RunConfig } from './types';

export interface JobClients {
  s3?: S3Client;
  dynamodb?: DynamoDBClient;
  bedrock?: BedrockRuntimeClient;
  destroy(): void;
}

/**
 * Creates each client once at start-up. Region, credentials and endpoints come from the SDK's
 * own settings (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB,
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME, profiles, instance role), so the same build talks to AWS
 * or to local emulators.
 */
export function createJobClients(config: RunConfig, env: NodeJS.ProcessEnv): JobClients {
  const customS3Endpoint = Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  const s3 = [config.source, config.archive, config.report].some((uri) => uri?.startsWith('s3://'))
    ? new S3Client({
        // Local S3 emulators need path-style addressing and plain (non aws-chunked) bodies.
        forcePathStyle: customS3Endpoint,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      })
    : undefined;
  // The writer's client: its retry strategy (throttles are retried by the writer, in passes up
  // to a deadline) and one keep-alive socket per parallel update (see createWriterClient).
  const dynamodb = config.dryRun
    ? undefined
    : createWriterClient({}, { concurrency: config.concurrency });
  const bedrock =
    config.model.kind === 'statistical'
      ? undefined
      : createBedrockRuntimeClient({
          region: config.region,
          maxAttempts: 4,
          requestTimeoutMs: 60_000,
        });
  return {
    s3,
    dynamodb,
    bedrock,
    destroy() {
      s3?.destroy();
      dynamodb?.destroy();
      bedrock?.destroy();
    },
  };
}
