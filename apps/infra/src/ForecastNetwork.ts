import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Fn, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ForecastNetworkProps {
  /** Use these subnets of an existing VPC instead of creating one. */
  vpcId?: string;
  subnetIds?: string[];
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

  constructor(scope: Construct, id: string, props: ForecastNetworkProps = {}) {
    super(scope, id);
    if (props.vpcId && props.subnetIds) {
      // Only the id is used (by the security group); subnets are passed to the launcher by id.
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: props.vpcId,
        availabilityZones: Fn.getAzs(),
      });
      this.subnetIds = props.subnetIds;
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
  }
}
