import { describe, expect, it } from 'vitest';
import {
  isLocalBedrockEndpoint,
  needsPaidConfirmation,
  parseBacktestModels,
} from '../src/backtestCommand';
import { ConfigError } from '../src/errors';

describe('parseBacktestModels', () => {
  it('mixes statistical names with bedrock: and chronos: entries, keeping colons in ids', () => {
    expect(
      parseBacktestModels(
        'auto, snaive,bedrock:us.anthropic.claude-3-7-sonnet-20250219-v1:0,chronos:arn:aws:sagemaker:us-east-1:1:endpoint/x',
      ),
    ).toEqual([
      { kind: 'statistical', name: 'auto' },
      { kind: 'statistical', name: 'snaive' },
      {
        kind: 'bedrock',
        id: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        name: 'bedrock:us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      },
      {
        kind: 'chronos',
        id: 'arn:aws:sagemaker:us-east-1:1:endpoint/x',
        name: 'chronos:arn:aws:sagemaker:us-east-1:1:endpoint/x',
      },
    ]);
  });

  it('rejects an empty id or an empty list', () => {
    expect(() => parseBacktestModels('auto,bedrock:')).toThrow(ConfigError);
    expect(() => parseBacktestModels(' , ')).toThrow(/names no model/);
  });
});

describe('the paid-endpoint guard', () => {
  const bedrock = parseBacktestModels('auto,bedrock:local');
  const chronos = parseBacktestModels('chronos:local');
  const statistical = parseBacktestModels('auto,snaive');

  it.each([
    ['http://127.0.0.1:4010', true],
    ['http://localhost:4010', true],
    ['http://127.0.0.2:80/', true],
    ['http://[::1]:4010', true],
    ['http://bedrock.localhost:4010', true],
    ['https://bedrock-runtime.us-east-1.amazonaws.com', false],
    ['http://10.0.0.5:4010', false],
    ['http://localhost.example.com', false],
    ['http://127.0.0.1.example.com', false],
    ['not a url', false],
  ])('treats AWS_ENDPOINT_URL_BEDROCK_RUNTIME=%s as local: %s', (url, local) => {
    expect(isLocalBedrockEndpoint({ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url })).toBe(local);
    expect(needsPaidConfirmation(bedrock, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url })).toBe(!local);
  });

  it('treats no endpoint setting as AWS, which needs --yes for any remote model', () => {
    expect(isLocalBedrockEndpoint({})).toBe(false);
    expect(needsPaidConfirmation(bedrock, {})).toBe(true);
    expect(needsPaidConfirmation(chronos, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: '' })).toBe(true);
  });

  it('follows the SDK: the service variable wins over AWS_ENDPOINT_URL, and both can be ignored', () => {
    expect(isLocalBedrockEndpoint({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' })).toBe(true);
    expect(
      isLocalBedrockEndpoint({
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'https://bedrock-runtime.us-west-2.amazonaws.com',
      }),
    ).toBe(false);
    expect(
      isLocalBedrockEndpoint({
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      }),
    ).toBe(false);
  });

  it('with batch jobs, also needs the control-plane endpoint (AWS_ENDPOINT_URL_BEDROCK) to be local', () => {
    const runtimeLocal = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' };
    expect(needsPaidConfirmation(bedrock, runtimeLocal, false)).toBe(false);
    expect(needsPaidConfirmation(bedrock, runtimeLocal, true)).toBe(true);
    expect(
      needsPaidConfirmation(
        bedrock,
        { ...runtimeLocal, AWS_ENDPOINT_URL_BEDROCK: 'http://localhost:8' },
        true,
      ),
    ).toBe(false);
  });

  it('checks each model against its own service: SageMaker Runtime for chronos2, batch jobs for bedrock only', () => {
    const chronos2 = parseBacktestModels('auto,chronos2:chronos-2-demo');
    const both = parseBacktestModels('bedrock:local,chronos2:chronos-2-demo');
    const sagemakerLocal = { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:7' };
    const allLocal = {
      ...sagemakerLocal,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:8',
    };
    expect(needsPaidConfirmation(chronos2, sagemakerLocal, true)).toBe(false);
    expect(
      needsPaidConfirmation(chronos2, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' }),
    ).toBe(true);
    expect(needsPaidConfirmation(both, sagemakerLocal, false)).toBe(true);
    expect(needsPaidConfirmation(both, allLocal, true)).toBe(false);
    const noControl = { ...allLocal, AWS_ENDPOINT_URL_BEDROCK: undefined };
    expect(needsPaidConfirmation(both, noControl, true)).toBe(true);
  });

  it('never asks for a statistical-only backtest', () => {
    expect(needsPaidConfirmation(statistical, {})).toBe(false);
  });
});
