import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that keeps what exhausted its retries: encrypted, reachable over TLS only, kept for the
 * longest retention SQS allows so that there is time to fix the cause and redrive. The monitoring
 * construct finds every instance and alarms on its depth.
 */
export class DeadLetterQueue extends sqs.Queue {
  /** What lands here, for alarm descriptions. */
  readonly purpose: string;

  constructor(scope: Construct, id: string, props: { purpose: string }) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.purpose = props.purpose;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.purpose}); a dead-letter queue of a dead-letter queue would only hide messages from the depth alarm.`,
    });
  }
}
