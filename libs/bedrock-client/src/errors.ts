import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/**
 * Why a single Bedrock request failed after retries; the run goes on and the request's products
 * fall back. `validation`: the service refused this request's content (e.g. a prompt over the
 * model's input limit), not the model id.
 */
export type BedrockFailureKind =
  | 'throttling'
  | 'server'
  | 'timeout'
  | 'model-not-ready'
  | 'model-error'
  | 'network'
  | 'validation'
  | 'unknown';

/**
 * `{ cause }` plus the service the model sits behind: `sagemaker` for a `chronos2` endpoint
 * (SageMaker Runtime InvokeEndpoint), Bedrock otherwise. Fatal messages name the right service,
 * console page and IAM action.
 */
export interface ServiceErrorOptions {
  cause?: unknown;
  service?: 'bedrock' | 'sagemaker';
}

/**
 * Base class of every error this lib throws. `exitKind` is `failure` (exit 1) unless a subclass
 * says the run cannot work as configured.
 */
export class BedrockClientError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BedrockClientError';
  }
}

/**
 * The account may not call the model in this region. Fatal: every other request would fail the
 * same way, so the whole run stops.
 */
/**
 * No usable AWS credentials for Bedrock (none found, expired, or not recognised): every request
 * would fail the same way, so the run stops with exit 2 instead of falling back product by product.
 */
export class BedrockCredentialsError extends BedrockClientError {
  override readonly exitKind: ExitKind = 'config';
  readonly modelId: string;
  constructor(modelId: string, region: string, detail: string, options?: ServiceErrorOptions) {
    const what = options?.service === 'sagemaker' ? 'SageMaker endpoint' : 'Bedrock model';
    super(
      `No usable AWS credentials to call ${what} "${modelId}" in region ${region} (${detail}). ` +
        'Attach an instance role, or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
      options,
    );
    this.name = 'BedrockCredentialsError';
    this.modelId = modelId;
  }
}

export class ModelAccessDeniedError extends BedrockClientError {
  override readonly exitKind: ExitKind = 'config';
  readonly modelId: string;
  readonly region: string;
  constructor(
    modelId: string,
    region: string,
    serviceMessage: string,
    options?: ServiceErrorOptions,
  ) {
    super(
      options?.service === 'sagemaker'
        ? `Access denied to SageMaker endpoint "${modelId}" in region ${region} (AccessDeniedException: ${serviceMessage}). ` +
            `Make sure the caller's IAM policy allows sagemaker:InvokeEndpoint on the endpoint's ARN ` +
            `(the stack grants it for the chronos2 endpoints in its model setting).`
        : `Access denied to Bedrock model "${modelId}" in region ${region} (AccessDeniedException: ${serviceMessage}). ` +
            `Enable access to this model in the Amazon Bedrock console (Model access) for region ${region}, ` +
            `and make sure the caller's IAM policy allows bedrock:InvokeModel on it.`,
      options,
    );
    this.name = 'ModelAccessDeniedError';
    this.modelId = modelId;
    this.region = region;
  }
}

/**
 * The model id, inference profile or endpoint ARN was rejected. Fatal for the same reason as
 * {@link ModelAccessDeniedError}.
 */
export class InvalidModelError extends BedrockClientError {
  override readonly exitKind: ExitKind = 'config';
  readonly modelId: string;
  readonly region: string;
  readonly code: string;
  constructor(
    modelId: string,
    region: string,
    code: string,
    serviceMessage: string,
    options?: ServiceErrorOptions,
  ) {
    super(
      options?.service === 'sagemaker'
        ? `SageMaker rejected endpoint "${modelId}" in region ${region} (${code}: ${serviceMessage}). ` +
            `Check the endpoint name or ARN (chronos2:<endpoint name or arn:aws:sagemaker:<region>:<account>:endpoint/<name>>), ` +
            `that it is InService in ${region}, and that it serves Chronos-2.`
        : `Bedrock rejected model "${modelId}" in region ${region} (${code}: ${serviceMessage}). ` +
            `Check the model or inference profile id and that the model is offered in ${region}: ` +
            `newer models are invoked through a cross-region inference profile such as ` +
            `"us.anthropic.claude-3-7-sonnet-20250219-v1:0", and a Chronos endpoint is addressed by its endpoint ARN. ` +
            `If the message is about the request instead (e.g. maxTokens above the model's output limit), ` +
            `lower maxOutputTokens or the products per request.`,
      options,
    );
    this.name = 'InvalidModelError';
    this.modelId = modelId;
    this.region = region;
    this.code = code;
  }
}

/** One request failed after the SDK's retries (and ours); its products are re-asked or fall back. */
export class BedrockRequestError extends BedrockClientError {
  readonly kind: BedrockFailureKind;
  readonly modelId: string;
  /** HTTP attempts made, all retries included. */
  readonly attempts: number;
  constructor(
    kind: BedrockFailureKind,
    modelId: string,
    attempts: number,
    detail: string,
    options?: ServiceErrorOptions,
  ) {
    super(
      `${options?.service === 'sagemaker' ? 'SageMaker request to endpoint' : 'Bedrock request to model'} "${modelId}" failed after ${attempts} attempt(s) (${kind}): ${detail}`,
      options,
    );
    this.name = 'BedrockRequestError';
    this.kind = kind;
    this.modelId = modelId;
    this.attempts = attempts;
  }
}

/** A caller passed an option outside its allowed range. */
export class BedrockOptionsError extends BedrockClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BedrockOptionsError';
  }
}

/**
 * The horizon is longer than the model forecasts (Chronos-Bolt: 64 steps). A configuration error:
 * raised before any request, and by `assertHorizonSupported` as soon as the settings are known.
 */
export class UnsupportedHorizonError extends BedrockClientError {
  override readonly exitKind: ExitKind = 'config';
  readonly horizon: number;
  readonly limit: number;
  constructor(horizon: number, limit: number, model: string) {
    super(
      `horizon ${horizon} is over the maximum of ${limit} days that ${model} forecasts ` +
        `(${model.startsWith('chronos2:') ? 'Chronos-2' : 'Chronos-Bolt'} predicts at most ${limit} steps); use a horizon of 1 to ${limit} days or a Converse model`,
    );
    this.name = 'UnsupportedHorizonError';
    this.horizon = horizon;
    this.limit = limit;
  }
}

/**
 * Bedrock refused to create the batch inference job as configured (no access, a role that cannot
 * be passed or cannot reach the S3 locations, a model without batch inference). Fatal: exit 2.
 */
export class BatchJobConfigError extends BedrockClientError {
  override readonly exitKind: ExitKind = 'config';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BatchJobConfigError';
  }
}
