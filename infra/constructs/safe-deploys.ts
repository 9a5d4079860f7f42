import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Construct } from 'constructs';
import { routes, type FunctionName } from '../topology.ts';
import type { ConveneFunctions } from './functions.ts';

/**
 * How a new version of an HTTP function takes over: a tenth of the requests for five minutes, then all;
 * an error of the new version during those minutes moves the `live` alias back.
 */
export const HTTP_DEPLOYMENT = codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;

/** The functions behind the HTTP routes: a registrant meets their failures first. */
export const httpFunctionNames = (): FunctionName[] => [...new Set(routes.map((route) => route.function))];

/**
 * Gradual deploys for the functions a browser talks to: a CodeDeploy deployment group per HTTP
 * function shifts its `live` alias to the new version as HTTP_DEPLOYMENT says, and rolls back when the
 * alias's own error alarm fires (the new version's errors, not those of the version it replaces) or the
 * deployment fails. The other functions (queue, stream and schedule consumers) retry what fails and
 * move at once: their alias is replaced by the deploy itself.
 */
export class SafeDeploys extends Construct {
  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions }) {
    super(scope, id);
    for (const name of httpFunctionNames()) {
      const fn = props.functions.get(name);
      const errors = new cloudwatch.Alarm(this, `${fn.node.id}LiveErrors`, {
        alarmDescription: `${name}: the version behind the live alias raised errors; a deploy in progress rolls back.`,
        metric: fn.live.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const group = new codedeploy.LambdaDeploymentGroup(this, `${fn.node.id}Deployment`, {
        alias: fn.live,
        deploymentConfig: HTTP_DEPLOYMENT,
        alarms: [errors],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      Validations.of(group.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason: 'CodeDeploy\'s own managed role for Lambda deployments, limited by AWS to shifting aliases and invoking hooks; the role is assumed by codedeploy.amazonaws.com only.',
      });
    }
  }
}
