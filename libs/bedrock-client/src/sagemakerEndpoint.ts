import { BedrockOptionsError } from './errors';

/** A SageMaker endpoint as InvokeEndpoint addresses it: its name, and the region of an ARN. */
export interface SageMakerEndpoint {
  /** `EndpointName` of InvokeEndpoint: 1–63 of `[a-zA-Z0-9-]`, starting and ending alphanumeric. */
  name: string;
  /** The region of an ARN; undefined for a bare name (the client's region applies). */
  region?: string;
  /** The account of an ARN. */
  account?: string;
  /** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`). */
  partition?: string;
}

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const ENDPOINT_ARN = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):endpoint\/(.+)$/;

/**
 * Reads `chronos2:`'s id: an endpoint name (`my-chronos2`) or its ARN
 * (`arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-chronos2`). InvokeEndpoint takes the
 * name only, so the ARN's region must be the client's (`createSageMakerRuntimeClient` uses it).
 * The name pattern is the one SageMaker's API reference gives for `EndpointName`.
 * @throws BedrockOptionsError naming the value and what is allowed
 */
export function parseSageMakerEndpoint(id: string): SageMakerEndpoint {
  const arn = ENDPOINT_ARN.exec(id);
  const name = arn ? arn[4] : id;
  if (!ENDPOINT_NAME.test(name)) {
    throw new BedrockOptionsError(
      `SageMaker endpoint "${id}" is not an endpoint name or ARN (expected 1-63 letters, digits and ` +
        `hyphens, or arn:aws:sagemaker:<region>:<account>:endpoint/<name>)`,
    );
  }
  return arn ? { name, partition: arn[1], region: arn[2], account: arn[3] } : { name };
}
