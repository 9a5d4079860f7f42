import { Duration, Names, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues, visibilityTimeoutSeconds, type FunctionName } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { pascalCase, type ConveneFunctions } from './functions.ts';

/** A consumer queue whose oldest event waited longer than this is a consumer failing or falling behind. */
const BACKLOG_ALARM_SECONDS = 15 * 60;

/**
 * One SQS queue per `topology.queues` entry in front of its consumer: the event rules send to it, the
 * consumer receives batches with a maximum concurrency and reports failed records one by one; a record
 * received `maxReceiveCount` times moves to the queue's own dead-letter queue (SQS redrive, so the console's
 * "start DLQ redrive" and `npm run admin -- redrive` move it back).
 */
export class EventQueues extends Construct {
  private readonly byTarget = new Map<FunctionName, sqs.Queue>();

  constructor(scope: Construct, id: string, props: { functions: ConveneFunctions }) {
    super(scope, id);
    for (const spec of queues) {
      const name = pascalCase(spec.name);
      const deadLetterQueue = new DeadLetterQueue(this, `${name}Dlq`, { purpose: `events ${spec.target} failed ${spec.maxReceiveCount} times`, kind: 'consumer-queue' });
      const queue = new sqs.Queue(this, name, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec)),
        // As long as the dead-letter queue keeps what it receives: a backlog is never dropped for age.
        retentionPeriod: Duration.days(14),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      });
      const consumer = props.functions.get(spec.target).live;
      consumer.addEventSource(new SqsEventSource(queue, { batchSize: spec.batchSize, maxConcurrency: spec.maxConcurrency, reportBatchItemFailures: true }));
      Validations.of(consumer.node.findChild(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`)).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: `An SQS event source returns a failed record to its queue; after ${spec.maxReceiveCount} receives the queue's redrive policy moves it to the dead-letter queue (SQS mappings take no on-failure destination).`,
      });
      new cloudwatch.Alarm(this, `${name}Backlog`, {
        alarmDescription: `Events for ${spec.target} have waited more than 15 minutes in the ${spec.name} queue: the consumer fails or cannot keep up.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: BACKLOG_ALARM_SECONDS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.byTarget.set(spec.target, queue);
    }
  }

  of(target: FunctionName): sqs.Queue {
    const queue = this.byTarget.get(target);
    if (!queue) throw new Error(`No queue for ${target} in topology.queues`);
    return queue;
  }
}
