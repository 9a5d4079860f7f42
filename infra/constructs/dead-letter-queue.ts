import { Duration, Tags, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * What a dead-letter queue keeps, which says how `npm run admin -- redrive` delivers it again:
 * - `consumer-queue`: records a consumer failed `maxReceiveCount` times; moved back to the queue they came
 *   from (an SQS message move task knows it: no target tag, which would make a cycle with the redrive policy);
 * - `rule`: events a rule could not deliver to its queue; sent to that queue (tagged with its ARN), as
 *   EventBridge would have delivered them;
 * - `forward`: SES events the default bus could not forward (an `aws.*` source cannot be put again: listed only);
 * - `stream`: outbox batches the relay failed; their records are read from the table's stream again
 *   (kept 24 h) and handed to the relay;
 * - `schedule` and `async-invoke`: runs of a scheduled job; not replayed (each job resumes on its next run), listed only.
 */
export type DeadLetterKind = 'consumer-queue' | 'rule' | 'forward' | 'stream' | 'schedule' | 'async-invoke';

/** The tags `npm run admin -- dead-letters` and `redrive` find dead-letter queues by. */
export const DEAD_LETTER_TAGS = { kind: 'convene:dead-letter-kind', target: 'convene:redrive-target' } as const;

/**
 * A queue that keeps what exhausted its retries: encrypted, reachable over TLS only, kept for the
 * longest retention SQS allows so that there is time to fix the cause and redrive. The monitoring
 * construct finds every instance and alarms on its depth. Tagged with its kind and where a redrive
 * delivers to (a queue ARN, a function's topology name).
 */
export class DeadLetterQueue extends sqs.Queue {
  /** What lands here, for alarm descriptions. */
  readonly purpose: string;

  constructor(scope: Construct, id: string, props: { purpose: string; kind: DeadLetterKind; redriveTarget?: string }) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.purpose = props.purpose;
    Tags.of(this).add(DEAD_LETTER_TAGS.kind, props.kind);
    if (props.redriveTarget) this.redrivesTo(props.redriveTarget);
    const reason = `This queue is itself a dead-letter queue (${props.purpose}); a dead-letter queue of a dead-letter queue would only hide messages from the depth alarm, and \`npm run admin -- redrive\` delivers them again.`;
    Validations.of(this).acknowledge({ id: 'AwsSolutions-SQS3', reason }, { id: 'Serverless-SQSRedrivePolicy', reason });
  }

  /** Where a redrive delivers this queue's messages (set once the target exists). */
  redrivesTo(target: string): void {
    Tags.of(this).add(DEAD_LETTER_TAGS.target, target);
  }
}
