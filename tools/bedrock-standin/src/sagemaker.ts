import { z } from 'zod';
import type { ServiceError } from './respond';
import type { FaultMode, StandinRequestInfo } from './types';

const INVOCATIONS = /^\/endpoints\/([^/]+)\/invocations$/;
/** SageMaker's `EndpointName` pattern (API reference, InvokeEndpoint). */
const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** An account id for error messages, as SageMaker names the caller's. */
const ACCOUNT = '123456789012';
/** Endpoint names the stand-in does not know (to test the "not found" path). */
export const MISSING_ENDPOINT_PREFIX = 'missing';

/** `POST /endpoints/<name>/invocations` → the decoded endpoint name; undefined for anything else. */
export function sagemakerRouteOf(method: string | undefined, url: string | undefined) {
  const path = (url ?? '').split('?')[0];
  const match = INVOCATIONS.exec(path);
  if (method !== 'POST' || !match) return undefined;
  return decodeURIComponent(match[1]);
}

const values = z.union([z.array(z.number()), z.array(z.string())]);

/**
 * The Chronos-2 endpoint's request schema as its SageMaker deployment notebook documents it
 * (amazon-science/chronos-forecasting `notebooks/deploy-chronos-to-amazon-sagemaker.ipynb`,
 * "Endpoint API"), written out here on its own rather than imported from the client, so a client
 * bug cannot pass its own check.
 */
const Chronos2Request = z
  .object({
    inputs: z
      .array(
        z
          .object({
            target: z.array(z.number()).min(5, 'fewer than 5 observations').max(8192),
            item_id: z.string().optional(),
            start: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/)
              .optional(),
            past_covariates: z.record(z.string(), values).optional(),
            future_covariates: z.record(z.string(), values).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000, 'at most 1000 time series'),
    parameters: z
      .object({
        prediction_length: z.number().int().min(1).max(1024).optional(),
        quantile_levels: z.array(z.number().gt(0).lt(1)).optional(),
        freq: z.string().optional(),
        batch_size: z.number().int().min(1).optional(),
        predict_batches_jointly: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * What the Chronos-2 container would refuse in `body`, or undefined: the schema, then the rules
 * between fields (covariate lengths, unique item ids, `start` needs `freq`).
 */
export function chronos2RequestProblem(body: unknown): string | undefined {
  const parsed = Chronos2Request.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue.path.join('.') || 'body'}: ${issue.message}`;
  }
  const { inputs, parameters } = parsed.data;
  const horizon = parameters?.prediction_length ?? 1;
  const ids = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    if (input.item_id !== undefined) {
      if (ids.has(input.item_id)) return `inputs.${i}.item_id "${input.item_id}" is not unique`;
      ids.add(input.item_id);
    }
    if (input.start !== undefined && parameters?.freq === undefined) {
      return `inputs.${i}.start is given but parameters.freq is not`;
    }
    for (const [name, v] of Object.entries(input.past_covariates ?? {})) {
      if (v.length !== input.target.length) {
        return `inputs.${i}.past_covariates.${name} has ${v.length} values, target has ${input.target.length}`;
      }
    }
    for (const [name, v] of Object.entries(input.future_covariates ?? {})) {
      if (v.length !== horizon) {
        return `inputs.${i}.future_covariates.${name} has ${v.length} values, prediction_length is ${horizon}`;
      }
    }
  }
  return undefined;
}

/** A ModelError: the container's own answer relayed by SageMaker with status 424. */
export function modelError(originalStatus: number, originalMessage: string, endpoint: string) {
  return {
    status: 424,
    type: 'ModelError',
    message: `Received client error (${originalStatus}) from primary with message "${originalMessage}". See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws/sagemaker/Endpoints/${endpoint} in account ${ACCOUNT} for more information.`,
    fields: {
      OriginalStatusCode: originalStatus,
      OriginalMessage: originalMessage,
      LogStreamArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/sagemaker/Endpoints/${endpoint}`,
    },
  };
}

/** A SageMaker error with extra body fields (ModelError's). */
export type SageMakerError = ServiceError & { fields?: Record<string, unknown> };

/** What SageMaker answers before the container sees the request: a bad name, an unknown endpoint, a fault. */
export function sagemakerErrorFor(
  fault: FaultMode,
  info: StandinRequestInfo,
): SageMakerError | undefined {
  const endpoint = info.modelId;
  const first = info.callIndex === 0;
  if (!ENDPOINT_NAME.test(endpoint)) {
    return {
      status: 400,
      type: 'ValidationError',
      message: `1 validation error detected: Value '${endpoint}' at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*`,
    };
  }
  if (fault === 'bad-model' || endpoint.startsWith(MISSING_ENDPOINT_PREFIX)) {
    return {
      status: 400,
      type: 'ValidationError',
      message: `Endpoint ${endpoint} of account ${ACCOUNT} not found.`,
    };
  }
  switch (fault) {
    case 'throttle':
      return { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' };
    case 'throttle-once':
      return first
        ? { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' }
        : undefined;
    case 'server-error':
      return { status: 500, type: 'InternalFailure', message: 'An internal failure occurred.' };
    case 'server-error-once':
      return first
        ? { status: 500, type: 'InternalFailure', message: 'An internal failure occurred.' }
        : undefined;
    case 'service-unavailable':
      return { status: 503, type: 'ServiceUnavailable', message: 'Service is unavailable.' };
    case 'model-not-ready-once':
      return first
        ? {
            status: 429,
            type: 'ModelNotReadyException',
            message: 'Model is not ready to serve inference requests.',
          }
        : undefined;
    case 'model-error-once':
      return first ? modelError(500, 'CUDA error: out of memory', endpoint) : undefined;
    case 'access-denied':
      return {
        status: 403,
        type: 'AccessDeniedException',
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/job/i-0 is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/${endpoint.toLowerCase()}`,
      };
    default:
      return undefined;
  }
}
