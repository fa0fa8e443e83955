import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { InfraConfigError } from '../src/index';
import { buildStack, flatten, IMPORTING_CONTEXT, testStacks } from './fixtures';

const stacks = testStacks();

describe('data stores', () => {
  it('creates an SSL-only, encrypted, versioned, private Gold bucket when none is given', () => {
    const { template } = stacks.created;
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('creates an on-demand inventory table keyed by product_id with point-in-time recovery', () => {
    stacks.created.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    stacks.created.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('imports an existing bucket and table by name instead of creating them', () => {
    stacks.imported.template.resourceCountIs('AWS::S3::Bucket', 0);
    stacks.imported.template.resourceCountIs('AWS::DynamoDB::Table', 0);
  });
});

describe('network', () => {
  it('creates public subnets only, no NAT, and gateway endpoints for S3 and DynamoDB', () => {
    const { template } = stacks.created;
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints.map((e) => e.Properties.VpcEndpointType)).toEqual(['Gateway', 'Gateway']);
    expect(endpoints.map((e) => flatten(e.Properties.ServiceName)).sort()).toEqual([
      'com.amazonaws.<AWS::Region>.dynamodb',
      'com.amazonaws.<AWS::Region>.s3',
    ]);
  });
});

describe('imported subnets', () => {
  const imported = { ...IMPORTING_CONTEXT };

  it('refuses to synth without a statement of how they reach the internet', () => {
    const { subnetEgress: _, ...withoutEgress } = imported;
    expect(() => buildStack(stacks.dirs, withoutEgress)).toThrow(InfraConfigError);
    expect(() => buildStack(stacks.dirs, withoutEgress)).toThrow(
      /subnetIds \["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"\] are imported, so synth cannot see their routes.*set subnetEgress to "internet-gateway".*"nat".*"vpc-endpoints"/,
    );
  });

  it.each(['internet-gateway', 'nat'])('adds no endpoints with subnetEgress %s', (egress) => {
    const { template } = buildStack(stacks.dirs, { ...imported, subnetEgress: egress });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });

  it('adds interface endpoints reachable from the instance only with vpc-endpoints', () => {
    const { template } = buildStack(stacks.dirs, { ...imported, subnetEgress: 'vpc-endpoints' });
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(
      (e) => e.Properties,
    );
    expect(endpoints.map((e) => flatten(e.ServiceName)).sort()).toEqual([
      'com.amazonaws.<AWS::Region>.bedrock-runtime',
      'com.amazonaws.<AWS::Region>.logs',
      'com.amazonaws.<AWS::Region>.monitoring',
    ]);
    for (const e of endpoints) {
      expect(e).toMatchObject({
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        VpcId: 'vpc-0123456789abcdef0',
        SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      });
    }
    for (const e of endpoints) {
      expect(e.SecurityGroupIds).toEqual([
        { 'Fn::GetAtt': [expect.stringMatching(/^NetworkEndpointSecurityGroup/), 'GroupId'] },
      ]);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints of the forecast instance: HTTPS from it only',
      SecurityGroupIngress: [
        Match.objectLike({
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          SourceSecurityGroupId: {
            'Fn::GetAtt': [Match.stringLikeRegexp('^JobSecurityGroup'), 'GroupId'],
          },
        }),
      ],
    });
  });

  it('needs no Bedrock endpoint for the statistical engine', () => {
    const { template } = buildStack(stacks.dirs, {
      vpcId: imported.vpcId,
      subnetIds: imported.subnetIds,
      subnetEgress: 'vpc-endpoints',
    });
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) =>
      flatten(e.Properties.ServiceName),
    );
    expect(services.sort()).toEqual([
      'com.amazonaws.<AWS::Region>.logs',
      'com.amazonaws.<AWS::Region>.monitoring',
    ]);
  });
});

describe('stack props', () => {
  it('refuses a bundle directory without main.mjs, naming the build target', () => {
    expect(() =>
      buildStack({ ...stacks.dirs, jobBundlePath: stacks.dirs.launcherCodePath }),
    ).toThrow(InfraConfigError);
    expect(() =>
      buildStack({ ...stacks.dirs, jobBundlePath: stacks.dirs.launcherCodePath }),
    ).toThrow(
      /job bundle ".*main\.mjs" does not exist \(expected the output of `nx run ec2-forecaster:build`\)/,
    );
  });
});
