import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes, type FunctionName, type RouteSpec } from '../topology.ts';
import type { ConveneFunctions } from './functions.ts';

/** Stage-wide throttling: every route is public or organiser-only, and no route needs more. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Access-log fields. No source IP and no query string: manage and unsubscribe links carry their signed
 * token in the query, and logs must not hold personal data.
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    caller: '$context.identity.userArn',
  }),
);

const publicRouteReason = (route: RouteSpec): string =>
  route.function === 'manage'
    ? `${route.method} ${route.path} is a registrant link: it is authorised by the HMAC-signed, expiring token in the link, not by AWS credentials; stage throttling limits abuse.`
    : `${route.method} ${route.path} is part of the public registration form (topology auth 'none'); input is validated and the stage is throttled.`;

/**
 * The HTTP API: one route per `topology.routes` entry, IAM (SigV4) auth for organiser routes, one Lambda
 * integration per function, a throttled `$default` stage with JSON access logs.
 */
export class ConveneHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions }) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'convene',
      description: 'Convene: registration form, registrant links and the organisers API',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const iamAuthorizer = new HttpIamAuthorizer();
    const noAuthorizer = new apigwv2.HttpNoneAuthorizer();
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}Integration`, props.functions.get(name).function);
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration: integrationFor(route.function),
        authorizer: route.auth === 'iam' ? iamAuthorizer : noAuthorizer,
      });
      if (route.auth === 'none' && created) {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
      }
    }
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
