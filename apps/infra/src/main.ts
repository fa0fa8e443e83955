import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ForecastStack } from './ForecastStack';
import { parseInfraConfig, readInfraContext } from './parseInfraConfig';

const app = new App();
const config = parseInfraConfig(readInfraContext(app.node));

// Env-agnostic on purpose: synth needs no credentials and no context lookups (AZs come from
// Fn::GetAZs, the AMI from a public SSM parameter resolved by CloudFormation at deploy time).
new ForecastStack(app, config.stackName, {
  config,
  // Optional overrides (e.g. a CI artefact directory); the defaults are the nx build outputs.
  jobBundlePath: app.node.tryGetContext('jobBundlePath') || undefined,
  launcherCodePath: app.node.tryGetContext('launcherCodePath') || undefined,
  description: 'Daily product demand forecast (EC2 job launched by EventBridge + Lambda)',
});

// Unacknowledged findings fail synth (and so deploy).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
