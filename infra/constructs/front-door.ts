import { Aws, Duration, Fn, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { FRONT_DOOR_HEADER } from '../../functions/core/http/front-door.ts';

/** How long CloudFront keeps the pages that say so (`Cache-Control: public, max-age=5`: GET / and GET /sessions). */
export const PAGE_CACHE_MAX_SECONDS = 10;

export type FrontDoorProps = {
  api: apigwv2.HttpApi;
  /** What CloudFront sends the public functions in FRONT_DOOR_HEADER (a deploy-time secret reference). */
  originSecret: string;
  /** The web ACL (in us-east-1) of the edge stack. */
  webAclArn: string;
  /** The forum's own name: its certificate (us-east-1) and Route 53 zone. */
  domain?: { name: string; zone: route53.IPublicHostedZone; certificate: acm.ICertificate };
};

/**
 * The public front door: a CloudFront distribution in front of the HTTP API, behind the edge's web ACL,
 * under the forum's domain (with its A and AAAA records) or CloudFront's own. Every link Convene mails
 * points here (`publicUrl`), so they work on the first deploy either way.
 *
 * Nothing is cached unless the answer says so: the registration page and the programme send
 * `Cache-Control: public, max-age=5` and are kept a few seconds per language, zone and query; every other
 * answer sends `no-store` (manage pages carry tokens) and is never kept. Organisers' SigV4 calls go to the
 * API's own endpoint (`ApiUrl`): a signature names the host it was made for.
 */
export class FrontDoor extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    // The API's endpoint in the stack's own region, as a token: the template names no region.
    const origin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      // The public functions answer 404 without it: the API's own endpoint serves none of their routes.
      customHeaders: { [FRONT_DOOR_HEADER]: props.originSecret },
    });
    const cachePolicy = new cloudfront.CachePolicy(this, 'PagesCache', {
      comment: 'Convene: only what the origin marks public, a few seconds, per language, zone and query',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(PAGE_CACHE_MAX_SECONDS),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Accept-Language', 'Accept'),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Convene: the registration form, registrant links and pages',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy,
        // Everything the viewer sent but Host: API Gateway routes by its own host name.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      webAclId: props.webAclArn,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      // With the forum's certificate, TLS 1.2 at least; CloudFront's own certificate has a fixed policy.
      ...(props.domain ? { domainNames: [props.domain.name], certificate: props.domain.certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'A UN forum is open to registrants of every country: no geographic restriction.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'CloudFront access logs would hold every viewer IP and every query string, and manage, confirmation and unsubscribe links carry their token in the query; the API access logs (no IP, no query) and the web ACL metrics are kept instead.',
      },
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason: 'Without a domain the distribution uses CloudFront\'s own certificate (*.cloudfront.net), whose TLS policy CloudFront sets (TLSv1); deploy with -c convene:domainName to get TLSv1.2_2021.',
            },
          ]),
    );

    if (props.domain) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'Ipv4', { zone: props.domain.zone, recordName: `${props.domain.name}.`, target });
      new route53.AaaaRecord(this, 'Ipv6', { zone: props.domain.zone, recordName: `${props.domain.name}.`, target });
      this.publicUrl = `https://${props.domain.name}`;
    } else {
      this.publicUrl = Fn.join('', ['https://', this.distribution.distributionDomainName]);
    }
  }
}
