import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { errorMessage } from '@retail-forecast/util';
import { chronos2PayloadProblem, type Chronos2Payload } from './chronos2Request';
import { BedrockRequestError } from './errors';
import { withRetries, type CallContext } from './invoke';
import { isTransientSageMakerError, mapSageMakerError } from './mapSageMakerError';

export interface InvokeChronos2Request extends CallContext {
  /** InvokeEndpoint's `EndpointName` (see `parseSageMakerEndpoint`). */
  endpointName: string;
  payload: Chronos2Payload;
}

export interface InvokeChronos2Result {
  /** The parsed JSON body, or undefined when it was not JSON (`text` then holds it). */
  body: unknown;
  text: string;
  jsonError?: string;
  /** SageMaker reports no tokens: always 0, so the run's token counts stay truthful. */
  inputTokens: 0;
  outputTokens: 0;
  /** HTTP attempts, retries included. */
  attempts: number;
  /** Size of the request body sent, bytes. */
  requestBytes: number;
}

/**
 * One SageMaker Runtime `InvokeEndpoint` call with a Chronos-2 body (`application/json` in and
 * out). The payload is checked against the endpoint's documented schema and limits first
 * (`chronos2PayloadProblem`), so a request the endpoint would refuse is never sent.
 * @throws BedrockRequestError (`validation`) for a payload outside the schema; the errors of
 * `mapSageMakerError` for a failed call
 */
export async function invokeChronos2(
  client: SageMakerRuntimeClient,
  request: InvokeChronos2Request,
): Promise<InvokeChronos2Result> {
  const body = new TextEncoder().encode(JSON.stringify(request.payload));
  const problem = chronos2PayloadProblem(request.payload, body.byteLength);
  if (problem !== undefined) {
    throw new BedrockRequestError('validation', request.endpointName, 0, `not sent: ${problem}`, {
      service: 'sagemaker',
    });
  }
  const { value, attempts } = await withRetries(
    request.endpointName,
    request,
    async () => {
      const out = await client.send(
        new InvokeEndpointCommand({
          EndpointName: request.endpointName,
          ContentType: 'application/json',
          Accept: 'application/json',
          Body: body,
        }),
        { abortSignal: request.abortSignal },
      );
      return { value: out, attempts: out.$metadata?.attempts ?? 1 };
    },
    { transient: isTransientSageMakerError, map: mapSageMakerError },
  );
  const text = value.Body ? new TextDecoder().decode(value.Body) : '';
  let parsed: unknown;
  let jsonError: string | undefined;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    jsonError = `the InvokeEndpoint body is not JSON (${errorMessage(err)}); it starts with ${JSON.stringify(text.slice(0, 60))}`;
  }
  return {
    body: parsed,
    text,
    jsonError,
    inputTokens: 0,
    outputTokens: 0,
    attempts,
    requestBytes: body.byteLength,
  };
}
