import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { schedules } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ConveneFunctions } from './functions.ts';
import { pascalCase } from './functions.ts';

/** Scheduler's own retry of a failed delivery; a handler's errors are retried by Lambda (async invoke). */
const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(1) } as const;

/**
 * The event every schedule delivers: the shape of an EventBridge scheduled event, with `time` set to the
 * scheduled time so that handlers take "now" from it (the local runtime sends the same shape).
 */
export const scheduledEventInput = (): ScheduleTargetInput =>
  ScheduleTargetInput.fromObject({
    version: '0',
    id: ContextAttribute.executionId,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    time: ContextAttribute.scheduledTime,
    resources: [ContextAttribute.scheduleArn],
    detail: {},
  });

/** One EventBridge Scheduler schedule per `topology.schedules` entry, named `convene-<name>`. */
export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions }) {
    super(scope, id);
    const stack = Stack.of(this);
    for (const spec of schedules) {
      const name = pascalCase(spec.name);
      const target = props.functions.get(spec.target).function;
      const deadLetterQueue = new DeadLetterQueue(this, `${name}Dlq`, {
        purpose: `runs of schedule ${spec.name} that could not be delivered to ${spec.target}`,
        kind: 'schedule',
      });
      const role = new iam.Role(this, `${name}Role`, {
        description: `Scheduler: convene-${spec.name} -> ${spec.target}`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': stack.account,
              'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
            },
          },
        }),
      });
      new Schedule(this, name, {
        scheduleName: `convene-${spec.name}`,
        description: `${spec.name}: ${spec.expression}${spec.timeZone ? ` (${spec.timeZone})` : ''} -> ${spec.target}`,
        schedule: ScheduleExpression.expression(spec.expression, spec.timeZone ? TimeZone.of(spec.timeZone) : undefined),
        target: new LambdaInvoke(target, { role, deadLetterQueue, input: scheduledEventInput(), ...SCHEDULE_RETRY }),
      });
      acknowledgeVersionWildcard(role, target);
    }
  }
}

/** lambda.grantInvoke covers the function and its versions (`<arn>:*`); nothing else. */
function acknowledgeVersionWildcard(role: iam.Role, fn: lambda.IFunction): void {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason: 'lambda:InvokeFunction on one function and its versions/aliases (the ":*" qualifier); the role is assumed by this schedule only.',
  });
}
