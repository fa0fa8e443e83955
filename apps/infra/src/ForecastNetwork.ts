import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Aws, Fn, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InfraConfigError } from './errors';
import type { SubnetEgress } from './types';

export interface ForecastNetworkProps {
  /** Use these subnets of an existing VPC instead of creating one. */
  vpcId?: string;
  subnetIds?: string[];
  /**
   * How the imported subnets reach AWS (synth cannot see their route tables); required with
   * `subnetIds`. With `vpc-endpoints`, call {@link ForecastNetwork.addInterfaceEndpoints}.
   */
  subnetEgress?: SubnetEgress;
}

/**
 * Where the forecast instance runs. The created VPC has public subnets only: the instance
 * reaches Bedrock, CloudWatch and SSM over its public IP (no NAT gateway at ~$32/month, no
 * interface endpoints at ~$7/month each per AZ), and S3 and DynamoDB through free gateway
 * endpoints. Nothing can connect in: the security group has no inbound rules.
 */
export class ForecastNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  readonly subnetIds: string[];
  /** How the instance reaches AWS: `created-public` for the created VPC, else the imported setting. */
  readonly egress: SubnetEgress | 'created-public';

  constructor(scope: Construct, id: string, props: ForecastNetworkProps = {}) {
    super(scope, id);
    if (props.vpcId && props.subnetIds) {
      if (!props.subnetEgress) {
        // parseInfraConfig says so first; this guards other callers of the construct.
        throw new InfraConfigError([
          `subnetIds ${JSON.stringify(props.subnetIds)} are imported without subnetEgress (expected internet-gateway, nat or vpc-endpoints)`,
        ]);
      }
      // Only the id is used (by the security group); subnets are passed to the launcher by id.
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: props.vpcId,
        availabilityZones: Fn.getAzs(),
      });
      this.subnetIds = props.subnetIds;
      this.egress = props.subnetEgress;
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason:
        'No flow logs: the VPC holds one short-lived instance a day whose security group admits no inbound traffic; its job and agent logs go to CloudWatch Logs.',
    });
    this.vpc = vpc;
    this.subnetIds = vpc.publicSubnets.map((s) => s.subnetId);
    this.egress = 'created-public';
  }

  /**
   * Interface endpoints (private DNS) in the imported subnets for the services the instance
   * calls besides S3 and DynamoDB, reachable on 443 from `clients` only. Level-1 resources
   * because the imported subnets' availability zones are unknown at synth, which the L2
   * construct needs; each subnet must be in a different AZ.
   * @param services endpoint service names, e.g. `logs`, `monitoring`, `bedrock-runtime`
   */
  addInterfaceEndpoints(clients: ec2.ISecurityGroup, services: string[]): ec2.CfnVPCEndpoint[] {
    if (this.egress !== 'vpc-endpoints') {
      throw new InfraConfigError([
        `interface endpoints are added only with subnetEgress "vpc-endpoints" (this network's egress is "${this.egress}")`,
      ]);
    }
    const group = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints of the forecast instance: HTTPS from it only',
      allowAllOutbound: false,
    });
    group.addIngressRule(
      ec2.Peer.securityGroupId(clients.securityGroupId),
      ec2.Port.tcp(443),
      'HTTPS from the forecast instance',
    );
    return services.map(
      (service) =>
        new ec2.CfnVPCEndpoint(this, `Endpoint-${service}`, {
          vpcId: this.vpc.vpcId,
          serviceName: `com.amazonaws.${Aws.REGION}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.subnetIds,
          securityGroupIds: [group.securityGroupId],
        }),
    );
  }
}
