import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BATCH_INPUT_PREFIX, BATCH_OUTPUT_PREFIX } from '@retail-forecast/job-contract';
import { acknowledgeWildcards } from './acknowledgeWildcards';
import { bedrockStatements } from './bedrockStatements';

export interface BedrockBatchRoleProps {
  goldBucket: s3.IBucket;
  /** Models a job may run (inference profiles need `bedrock:InvokeModel` on the service role). */
  modelIds: string[];
  /** Customer-managed key of an imported Gold bucket. */
  goldBucketKmsKeyArn?: string;
}

/** ARN pattern of this account's batch inference jobs in the stack's region. */
export const batchJobArnPattern = () =>
  `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:model-invocation-job/*`;

/**
 * The service role Bedrock assumes to run the job's batch inference jobs (Bedrock user guide,
 * "Create a custom service role for batch inference"): trusted by bedrock.amazonaws.com only for
 * this account's batch jobs in this region (`aws:SourceAccount`, `aws:SourceArn`), it may read the
 * batch input prefix and write the batch output prefix of the Gold bucket, and nothing else.
 */
export class BedrockBatchRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BedrockBatchRoleProps) {
    super(scope, id);
    const bucket = props.goldBucket;
    this.role = new iam.Role(this, 'Role', {
      description: 'Bedrock batch inference jobs of the demand forecast',
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': batchJobArnPattern() },
        },
      }),
    });
    const input = bucket.arnForObjects(`${BATCH_INPUT_PREFIX}*`);
    const output = bucket.arnForObjects(`${BATCH_OUTPUT_PREFIX}*`);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListBatchInputAndOutput',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [
              BATCH_INPUT_PREFIX,
              `${BATCH_INPUT_PREFIX}*`,
              BATCH_OUTPUT_PREFIX,
              `${BATCH_OUTPUT_PREFIX}*`,
            ],
          },
        },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBatchInput',
        actions: ['s3:GetObject'],
        resources: [input],
        conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteBatchOutput',
        actions: ['s3:PutObject'],
        resources: [output],
        conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (props.goldBucketKmsKeyArn) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptBatchObjects',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.goldBucketKmsKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, input, output] },
          },
        }),
      );
    }
    // A job on a cross-region inference profile invokes the model with this role's rights.
    for (const statement of bedrockStatements(props.modelIds)) {
      this.role.addToPolicy(statement);
      acknowledgeWildcards(
        this.role,
        statement.resources.filter((r) => r.includes(':bedrock:*:')),
        'A cross-region inference profile may route to its model in any of its regions; the bedrock:InferenceProfileArn condition allows the model only through the configured profile.',
      );
    }
    acknowledgeWildcards(
      this.role,
      [input, output],
      'Bedrock reads the records of each run under bedrock_batch/input/ and writes answers under bedrock_batch/output/<job id>/, named per run; nothing else in the bucket.',
    );
  }
}
