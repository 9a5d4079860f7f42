import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { EdgeFirewall } from './constructs/edge-firewall.ts';
import type { StageNames } from './topology.ts';

export type ConveneEdgeStackProps = StackProps & {
  names: StageNames;
  domain?: { name: string; hostedZoneId: string };
};

/**
 * What CloudFront needs in us-east-1, whatever the forum's region: the web ACL and, with a domain, the
 * domain's certificate, validated through its Route 53 zone. The forum's stack reads both through
 * CDK's cross-region references; `npx cdk deploy <forum stack>` deploys this one first.
 */
export class ConveneEdgeStack extends Stack {
  readonly webAclArn: string;
  readonly certificate?: acm.ICertificate;

  constructor(scope: Construct, id: string, props: ConveneEdgeStackProps) {
    super(scope, id, props);
    this.webAclArn = new EdgeFirewall(this, 'Firewall', { name: props.names.webAcl }).webAcl.attrArn;
    if (props.domain) {
      const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.domain.hostedZoneId, zoneName: props.domain.name });
      this.certificate = new acm.Certificate(this, 'Certificate', {
        domainName: props.domain.name,
        validation: acm.CertificateValidation.fromDns(zone),
      });
    }
  }
}
