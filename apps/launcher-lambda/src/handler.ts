import { EC2Client } from '@aws-sdk/client-ec2';
import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler } from './createHandler';
import { parseLauncherConfig } from './parseLauncherConfig';

// Parsed at cold start so a bad deployment fails on its first invocation with the variable named,
// rather than half-way through a launch.
const config = parseLauncherConfig(process.env);
const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'forecast-launcher',
});

export const handler = createHandler({ ec2: new EC2Client({}), config, logger });
