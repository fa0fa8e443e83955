import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockOptionsError } from './errors';
import type { ForecastWithBedrockOptions } from './types';

/**
 * The Bedrock client of a `converse` or `chronos` run (validateOptions has checked it is there).
 * @throws BedrockOptionsError when it is missing
 */
export function bedrockClientOf(options: ForecastWithBedrockOptions): BedrockRuntimeClient {
  if (!options.client) {
    throw new BedrockOptionsError(
      `model kind ${options.kind} needs options.client (a Bedrock Runtime client)`,
    );
  }
  return options.client;
}
