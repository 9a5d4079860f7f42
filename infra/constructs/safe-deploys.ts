import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Construct } from 'constructs';
import { routes, type FunctionName } from '../topology.ts';
import { LIVE_ALIAS } from './convene-function.ts';
import type { ConveneFunctions } from './functions.ts';

/**
 * How a new version of an HTTP function takes over: a tenth of the requests for five minutes, then all;
 * an error of the new version during those minutes moves the `live` alias back.
 */
export const HTTP_DEPLOYMENT = codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;

/** The functions behind the HTTP routes: a registrant meets their failures first. */
export const httpFunctionNames = (): FunctionName[] => [...new Set(routes.map((route) => route.function))];

/** The share of the API's answers that may be 5xx (over at least 20 requests a minute) before a canary rolls back. */
export const CANARY_MAX_SERVER_ERROR_PERCENT = 5;

/**
 * Gradual deploys for the functions a browser talks to: a CodeDeploy deployment group per HTTP
 * function shifts its `live` alias to the new version as HTTP_DEPLOYMENT says, and rolls back when
 * - the new version itself fails (Lambda's `Errors` of the alias, counted for the version that ran:
 *   `ExecutedVersion`, not the version being replaced), or
 * - the API answers 5xx to more than CANARY_MAX_SERVER_ERROR_PERCENT of its requests: the HTTP edge turns
 *   a handler's exception into a 500 page, which Lambda never counts as an error, and a tenth of the
 *   traffic on a broken version shows as a tenth of the answers failing;
 * or when the deployment fails or is stopped. The other functions (queue, stream and schedule consumers)
 * retry what fails and move at once: their alias is replaced by the deploy itself.
 */
export class SafeDeploys extends Construct {
  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions; api: apigwv2.HttpApi }) {
    super(scope, id);
    const period = Duration.minutes(1);
    const serverErrorRate = new cloudwatch.Alarm(this, 'ApiServerErrorRate', {
      alarmDescription: `More than ${CANARY_MAX_SERVER_ERROR_PERCENT} % of the API's answers were 5xx in two minutes running; a deploy in progress rolls back.`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: { requests: props.api.metricCount({ period, statistic: cloudwatch.Stats.SUM }), errors: props.api.metricServerError({ period, statistic: cloudwatch.Stats.SUM }) },
        period,
        label: '5xx % of requests',
      }),
      threshold: CANARY_MAX_SERVER_ERROR_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const name of httpFunctionNames()) {
      const fn = props.functions.get(name);
      const errors = new cloudwatch.Alarm(this, `${fn.node.id}NewVersionErrors`, {
        alarmDescription: `${name}: the version this deploy published raised errors behind the live alias; a deploy in progress rolls back.`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensionsMap: { FunctionName: fn.function.functionName, Resource: `${fn.function.functionName}:${LIVE_ALIAS}`, ExecutedVersion: fn.function.currentVersion.version },
          period,
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const group = new codedeploy.LambdaDeploymentGroup(this, `${fn.node.id}Deployment`, {
        alias: fn.live,
        deploymentConfig: HTTP_DEPLOYMENT,
        alarms: [errors, serverErrorRate],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      Validations.of(group.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason: 'CodeDeploy\'s own managed role for Lambda deployments, limited by AWS to shifting aliases and invoking hooks; the role is assumed by codedeploy.amazonaws.com only.',
      });
    }
  }
}
