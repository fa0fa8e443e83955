import {
  AccessDeniedException,
  ConverseCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { exitCodeOf, exitKindOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  BedrockClientError,
  BedrockCredentialsError,
  BedrockOptionsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
  converse,
  createBedrockRuntimeClient,
  mapBedrockError,
  requestTimeoutMs,
  UnsupportedHorizonError,
} from '../src';
import { converseOutput, mockedBedrock } from './helpers';

const meta = (httpStatusCode: number, attempts = 1) => ({ httpStatusCode, attempts });

describe('mapBedrockError', () => {
  it.each([
    [new ThrottlingException({ message: 'slow down', $metadata: meta(429) }), 'throttling'],
    [new InternalServerException({ message: 'boom', $metadata: meta(500) }), 'server'],
    [new ServiceUnavailableException({ message: 'down', $metadata: meta(503) }), 'server'],
    [new ModelNotReadyException({ message: 'warming', $metadata: meta(429) }), 'model-not-ready'],
    [new ModelErrorException({ message: 'model broke', $metadata: meta(424) }), 'model-error'],
    [Object.assign(new Error('Stream timed out'), { name: 'TimeoutError' }), 'timeout'],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'network'],
    [Object.assign(new Error('odd'), { name: 'Teapot', $metadata: meta(502) }), 'server'],
  ])('maps %s to a per-request failure of kind %s', (err, kind) => {
    const mapped = mapBedrockError(err, 'm', 'us-east-1');
    expect(mapped).toBeInstanceOf(BedrockRequestError);
    expect((mapped as BedrockRequestError).kind).toBe(kind);
    expect(mapped.cause).toBe(err);
  });

  it.each(['CredentialsProviderError', 'UnrecognizedClientException', 'ExpiredTokenException'])(
    'turns %s (no usable credentials) into a configuration error naming the fix',
    (name) => {
      const err = Object.assign(new Error('Could not load credentials from any providers'), {
        name,
      });
      const mapped = mapBedrockError(err, 'local', 'us-east-1');
      expect(mapped).toBeInstanceOf(BedrockCredentialsError);
      expect(exitCodeOf(mapped)).toBe(2);
      expect(mapped.message).toContain(`${name}: Could not load credentials`);
      expect(mapped.message).toContain('instance role');
    },
  );

  it('turns AccessDeniedException into ModelAccessDeniedError naming model, region and the fix', () => {
    const err = new AccessDeniedException({ message: 'no access', $metadata: meta(403) });
    const mapped = mapBedrockError(err, 'anthropic.claude-3-7-sonnet-20250219-v1:0', 'eu-west-1');
    expect(mapped).toBeInstanceOf(ModelAccessDeniedError);
    expect(mapped.message).toContain('"anthropic.claude-3-7-sonnet-20250219-v1:0"');
    expect(mapped.message).toContain('eu-west-1');
    expect(mapped.message).toContain('Model access');
    expect(mapped.name).toBe('ModelAccessDeniedError');
  });

  it.each([
    new ValidationException({
      message: 'The provided model identifier is invalid.',
      $metadata: meta(400),
    }),
    new ResourceNotFoundException({ message: 'Model not found', $metadata: meta(404) }),
    new ValidationException({
      message:
        "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
      $metadata: meta(400),
    }),
    new ValidationException({
      message: 'The maximum tokens you requested exceeds the model limit of 4096.',
      $metadata: meta(400),
    }),
  ])('turns %s into InvalidModelError suggesting an inference profile id', (err) => {
    const mapped = mapBedrockError(err, 'bogus-model', 'us-west-2');
    expect(mapped).toBeInstanceOf(InvalidModelError);
    expect(mapped.message).toContain('"bogus-model"');
    expect(mapped.message).toContain('us-west-2');
    expect(mapped.message).toContain('inference profile');
    expect((mapped as InvalidModelError).code).toBe(err.name);
  });
});

describe('mapBedrockError on a refused request', () => {
  it.each([
    'Input is too long for requested model.',
    'Malformed input request: #: required key [messages] not found, please reformat your input and try again.',
  ])('fails only the request for ValidationException "%s"', (message) => {
    const err = new ValidationException({ message, $metadata: meta(400) });
    const mapped = mapBedrockError(err, 'm', 'us-east-1');
    expect(mapped).toBeInstanceOf(BedrockRequestError);
    expect((mapped as BedrockRequestError).kind).toBe('validation');
    expect(mapped.message).toContain(message);
    expect(exitKindOf(mapped)).toBe('failure');
  });
});

describe('exit kinds', () => {
  it('makes no model access and a rejected model id configuration errors (exit 2)', () => {
    const denied = mapBedrockError(
      new AccessDeniedException({ message: 'no access', $metadata: meta(403) }),
      'm',
      'us-east-1',
    );
    const invalid = mapBedrockError(
      new ValidationException({
        message: 'The provided model identifier is invalid.',
        $metadata: meta(400),
      }),
      'm',
      'us-east-1',
    );
    for (const err of [denied, invalid]) {
      expect(err.exitKind).toBe('config');
      expect(exitCodeOf(err)).toBe(2);
    }
  });

  it('makes a failed request, a bad option and the base error plain failures (exit 1)', () => {
    const errors = [
      mapBedrockError(new ThrottlingException({ message: 'slow', $metadata: meta(429) }), 'm', 'r'),
      new BedrockOptionsError('horizon 0 is not allowed'),
      new BedrockClientError('something else'),
    ];
    for (const err of errors) {
      expect(exitKindOf(err)).toBe('failure');
      expect(exitCodeOf(err)).toBe(1);
    }
  });
});

describe('converse', () => {
  const { mock, client } = mockedBedrock();

  it('sends system, user and inferenceConfig with temperature 0 and returns text and usage', async () => {
    mock.on(ConverseCommand).resolves(converseOutput('{"forecasts":[]}', 120, 30, 2));
    const r = await converse(client, { modelId: 'm1', system: 'sys', user: 'usr', maxTokens: 777 });
    expect(r).toEqual({
      text: '{"forecasts":[]}',
      content: [{ text: '{"forecasts":[]}' }],
      stopReason: 'end_turn',
      inputTokens: 120,
      outputTokens: 30,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      attempts: 2,
    });
    const input = mock.commandCalls(ConverseCommand)[0].args[0].input;
    expect(input.system).toEqual([{ text: 'sys' }]);
    expect(input.messages).toEqual([{ role: 'user', content: [{ text: 'usr' }] }]);
    expect(input.inferenceConfig).toEqual({ maxTokens: 777, temperature: 0 });
    expect(input.toolConfig).toBeUndefined();
  });

  it('sizes the time-out of each request from its maxTokens, with a ceiling', async () => {
    mock.on(ConverseCommand).resolves(converseOutput('{"forecasts":[]}'));
    const ask = (maxTokens: number) =>
      converse(client, { modelId: 'm1', system: 's', user: 'u', maxTokens });
    await ask(472);
    await ask(4576);
    await converse(client, {
      modelId: 'm1',
      system: 's',
      user: 'u',
      maxTokens: 8192,
      timeout: { maxMs: 120_000 },
    });
    const sent = mock
      .commandCalls(ConverseCommand)
      .map((c) => (c.args as unknown[])[1] as { requestTimeout?: number });
    expect(sent.map((o) => o.requestTimeout)).toEqual([43_600, 248_800, 120_000]);
  });

  it('reports the attempts the SDK made on a throttled request that kept failing', async () => {
    mock
      .on(ConverseCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: meta(429, 3) }));
    const err = await converse(client, {
      modelId: 'm1',
      system: 's',
      user: 'u',
      maxTokens: 10,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(BedrockRequestError);
    expect(err.kind).toBe('throttling');
    expect(err.attempts).toBe(3);
    // The SDK already retried throttling: no extra round of our own.
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(1);
  });

  it('retries a ModelErrorException itself, since the SDK does not, and counts both attempts', async () => {
    mock
      .on(ConverseCommand)
      .rejectsOnce(new ModelErrorException({ message: 'model broke', $metadata: meta(424) }))
      .resolves(converseOutput('ok'));
    const r = await converse(client, {
      modelId: 'm1',
      system: 's',
      user: 'u',
      maxTokens: 10,
      retryBaseDelayMs: 1,
    });
    expect(r.text).toBe('ok');
    expect(r.attempts).toBe(2);
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(2);
  });

  it('gives up on ModelErrorException after extraRetries and says how many attempts it made', async () => {
    mock
      .on(ConverseCommand)
      .rejects(new ModelErrorException({ message: 'model broke', $metadata: meta(424) }));
    const err = await converse(client, {
      modelId: 'm1',
      system: 's',
      user: 'u',
      maxTokens: 10,
      extraRetries: 2,
      retryBaseDelayMs: 1,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(BedrockRequestError);
    expect(err.kind).toBe('model-error');
    expect(err.attempts).toBe(3);
    expect(err.message).toContain('after 3 attempt(s)');
  });
});

describe('createBedrockRuntimeClient', () => {
  it('configures adaptive retries, max attempts and the region', async () => {
    const client = createBedrockRuntimeClient({
      region: 'us-west-2',
      maxAttempts: 5,
      requestTimeoutMs: 1234,
    });
    expect(await client.config.region()).toBe('us-west-2');
    expect(await client.config.maxAttempts()).toBe(5);
    const strategy = await client.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe('adaptive');
    expect(client.config.requestHandler.metadata?.handlerProtocol).toBe('h2');
    client.destroy();
  });

  it('uses HTTP/1.1 when asked', () => {
    const client = createBedrockRuntimeClient({ region: 'us-east-1', http1: true });
    expect(client.config.requestHandler.metadata?.handlerProtocol).toBe('http/1.1');
    client.destroy();
  });

  it('rejects a non-positive timeout', () => {
    expect(() => createBedrockRuntimeClient({ requestTimeoutMs: 0 })).toThrow(
      /requestTimeoutMs 0 is not allowed/,
    );
  });
});

describe('requestTimeoutMs', () => {
  it('waits for the first token plus maxTokens at the slowest accepted speed, capped', () => {
    // 20 s + 4,576 tokens at 20 tokens/s: a 20-product batch at horizon 7.
    expect(requestTimeoutMs(4576)).toBe(248_800);
    expect(requestTimeoutMs(8192)).toBe(300_000);
    expect(requestTimeoutMs(1000, { firstTokenMs: 1000, tokensPerSecond: 100 })).toBe(11_000);
    expect(requestTimeoutMs(1000, { maxMs: 5000 })).toBe(5000);
  });
});

describe('UnsupportedHorizonError', () => {
  it('is a configuration error naming the horizon and the limit', () => {
    const err = new UnsupportedHorizonError(90, 64, 'chronos:ep');
    expect(exitCodeOf(err)).toBe(2);
    expect(err.message).toMatch(/horizon 90 .*maximum of 64 days/);
  });
});
