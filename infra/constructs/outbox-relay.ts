import { Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { streams } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ConveneFunctions } from './functions.ts';
import { pascalCase } from './functions.ts';

/**
 * The table's stream into its subscribers (`topology.streams`): filtered at the event source so the
 * relay is invoked for inserted outbox items only, partial batch failures so one bad record does not
 * replay its batch, and the metadata of a batch that exhausted its retries kept in a dead-letter queue.
 */
export class OutboxRelay extends Construct {
  constructor(scope: Construct, id: string, props: { table: dynamodb.ITable; functions: ConveneFunctions }) {
    super(scope, id);
    for (const spec of streams) {
      const target = props.functions.get(spec.target);
      const deadLetterQueue = new DeadLetterQueue(this, `${pascalCase(spec.name)}Dlq`, {
        purpose: `stream batches that ${spec.target} failed after ${spec.retryAttempts} retries`,
        kind: 'stream',
        // The topology's name of the relay, not its physical name: that would make a cycle (function → role →
        // this queue); the CLI finds the function among the stack's resources by it.
        redriveTarget: spec.target,
      });
      target.live.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: spec.batchSize,
          retryAttempts: spec.retryAttempts,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(deadLetterQueue),
          filters: [lambda.FilterCriteria.filter(spec.filter)],
        }),
      );
      Validations.of(target.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Reading the table stream needs dynamodb:ListStreams, which supports only Resource "*"; the stream actions themselves are scoped to the stream ARN.',
      });
    }
  }
}
