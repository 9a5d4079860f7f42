import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { defaultRoute, ROUTE_THROTTLES, routeThrottle, routes, type FunctionName, type RouteSpec } from '../topology.ts';
import type { ConveneFunctions } from './functions.ts';

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
    ? `${route.method} ${route.path} is a registrant link: it is authorised by the HMAC-signed, expiring token in the link, not by AWS credentials; the route is throttled and the edge limits each IP.`
    : `${route.method} ${route.path} is part of the public registration form (topology auth 'none'); input is validated, the route is throttled and the edge limits each IP.`;

/**
 * The HTTP API: one route per `topology.routes` entry, IAM (SigV4) auth for organiser routes, one Lambda
 * integration per function, a `$default` stage throttled per route, with JSON access logs. The API is
 * created first and its routes added once the functions exist, because the functions' links point at the
 * front door, which points at the API.
 */
export class ConveneHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: props.name,
      description: 'Convene: registration form, registrant links and the organisers API',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Routes without a setting of their own (none: every route has one) get a registrant link's throttle.
      throttle: ROUTE_THROTTLES.link,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
    (this.stage.node.defaultChild as apigwv2.CfnStage).routeSettings = Object.fromEntries([
      ...routes.map((route) => {
        const { rateLimit, burstLimit } = routeThrottle(route);
        return [`${route.method} ${route.path}`, { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit }];
      }),
      ['$default', { ThrottlingRateLimit: defaultRoute.throttle.rateLimit, ThrottlingBurstLimit: defaultRoute.throttle.burstLimit }],
    ]);
  }

  /** One route per `topology.routes` entry, to the live alias of its function. */
  addRoutes(functions: ConveneFunctions): void {
    const iamAuthorizer = new HttpIamAuthorizer();
    const noAuthorizer = new apigwv2.HttpNoneAuthorizer();
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}Integration`, functions.get(name).live);
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
      // The stage's per-route throttle names the route: the route must exist first.
      if (created) this.stage.node.addDependency(created);
      if (route.auth === 'none' && created) {
        Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
      }
    }
    // Every other request: the site's 404 or 405 page (topology.defaultRoute) instead of API Gateway's JSON.
    const fallback = new apigwv2.HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: apigwv2.HttpRouteKey.DEFAULT,
      integration: integrationFor(defaultRoute.function),
      authorizer: noAuthorizer,
    });
    this.stage.node.addDependency(fallback);
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default route answers only the 404 and 405 pages for requests no route matches; it reads nothing personal and is throttled.',
    });
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
