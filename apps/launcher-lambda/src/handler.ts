import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '@retail-forecast/util';
import { createHandler } from './createHandler';
import { parseLauncherConfig } from './parseLauncherConfig';

// Parsed at cold start so a bad deployment fails on its first invocation with the variable named,
// rather than half-way through a launch.
const config = parseLauncherConfig(process.env);
const powertools = new PowertoolsLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'forecast-launcher',
});
// Powertools takes extra attributes as rest arguments, so it refuses an `undefined` one.
const logger: Logger = {
  debug: (message, fields = {}) => powertools.debug(message, fields),
  info: (message, fields = {}) => powertools.info(message, fields),
  warn: (message, fields = {}) => powertools.warn(message, fields),
  error: (message, fields = {}) => powertools.error(message, fields),
};

export const handler = createHandler({ ec2: new EC2Client({}), config, logger });
