import { arnHere, THIS_ACCOUNT } from './arns.ts';
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { schedules, type StageNames } from '../topology.ts';
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

/** One EventBridge Scheduler schedule per `topology.schedules` entry, named `convene-<stage>-<name>`, invoking the target's live alias. */
export class Schedules extends Construct {
  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions; names: StageNames }) {
    super(scope, id);
    for (const spec of schedules) {
      const name = pascalCase(spec.name);
      const target = props.functions.get(spec.target).live;
      const deadLetterQueue = new DeadLetterQueue(this, `${name}Dlq`, {
        purpose: `runs of schedule ${spec.name} that could not be delivered to ${spec.target}`,
        kind: 'schedule',
      });
      const role = new iam.Role(this, `${name}Role`, {
        description: `Scheduler: ${props.names.schedule(spec.name)} -> ${spec.target}`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: {
            StringEquals: {
              'aws:SourceAccount': THIS_ACCOUNT,
              'aws:SourceArn': arnHere(this, { service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
            },
          },
        }),
      });
      new Schedule(this, name, {
        scheduleName: props.names.schedule(spec.name),
        description: `${spec.name}: ${spec.expression}${spec.timeZone ? ` (${spec.timeZone})` : ''} -> ${spec.target}`,
        schedule: ScheduleExpression.expression(spec.expression, spec.timeZone ? TimeZone.of(spec.timeZone) : undefined),
        target: new LambdaInvoke(target, { role, deadLetterQueue, input: scheduledEventInput(), ...SCHEDULE_RETRY }),
      });
    }
  }
}
