import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GoldRow } from './demoData';
import { writeGoldParquetParts } from './goldParquet';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localConfig';
import { startLocalDynamo } from './localDynamo';
import { startLocalS3 } from './localS3';

export interface LocalAws {
  s3Endpoint: string;
  dynamodbEndpoint: string;
  /** Clients for seeding and inspecting the local servers. */
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /**
   * The SDK's standard settings that point any AWS SDK v3 client (the job's included) at the
   * local servers: region, credentials, AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_DYNAMODB.
   */
  env: Record<string, string>;
  put(bucket: string, key: string, body: Uint8Array | string): Promise<void>;
  /** Writes rows as Spark-like Parquet part files plus `_SUCCESS` under `s3://bucket/prefix`. */
  putGoldParquet(bucket: string, prefix: string, rows: GoldRow[], parts?: number): Promise<number>;
  close(): Promise<void>;
}

/** Local S3 and DynamoDB on 127.0.0.1 (ephemeral ports) with clients and environment for them. */
export async function startLocalAws(options: { buckets?: string[] } = {}): Promise<LocalAws> {
  const s3Server = await startLocalS3({ buckets: options.buckets });
  const dynamoServer = await startLocalDynamo();
  const s3 = new S3Client(s3Server.clientConfig);
  const dynamodb = new DynamoDBClient(dynamoServer.clientConfig);
  const put = async (bucket: string, key: string, body: Uint8Array | string) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  };
  return {
    s3Endpoint: s3Server.endpoint,
    dynamodbEndpoint: dynamoServer.endpoint,
    s3,
    dynamodb,
    env: {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_S3: s3Server.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoServer.endpoint,
    },
    put,
    async putGoldParquet(bucket, prefix, rows, parts = 4) {
      const files = writeGoldParquetParts(rows, parts);
      for (const f of files) await put(bucket, `${prefix}${f.name}`, f.body);
      await put(bucket, `${prefix}_SUCCESS`, new Uint8Array(0));
      return files.length;
    },
    async close() {
      s3.destroy();
      dynamodb.destroy();
      await dynamoServer.close();
      await s3Server.close();
    },
  };
}
