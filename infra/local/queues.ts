import { createHash, randomUUID } from 'node:crypto';
import { queues, visibilityTimeoutSeconds, type FunctionName, type QueueSpec } from '../topology.ts';
import type { Activity } from './activity.ts';
import type { LocalLambdas } from './lambdas.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './settings.ts';

type Message = {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** When the current (or last) receive happened: the visibility timeout counts from it. */
  receivedAt?: number;
  /** Invisible until then: received and not yet deleted, or failed and waiting out the visibility timeout. */
  visibleAt: number;
  /** The errors of the receives so far, oldest first (what a dead letter says about itself). */
  errors: string[];
};

/** A message that used up its receives, as its queue's dead-letter queue holds it. */
export type QueueDeadLetter = { queue: string; target: FunctionName; messageId: string; receiveCount: number; body: unknown; errors: string[]; at: string };

/** SQS's own limit on one message: 256 KB. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * One SQS standard queue with its event source mapping, as the local runtime models them: a sent message
 * is received by at most `maxConcurrency` invocations of `batchSize` records at once; a record the
 * function does not report as done (a thrown invocation fails every record, a partial batch response the
 * listed ones) stays invisible for the visibility timeout and is then received again, and a record
 * received `maxReceiveCount` times moves to the dead-letter queue. The visibility timeout is the queue's
 * own (topology: six times its function's timeout, 180 s for a 30 s function), counted from the receive
 * as SQS counts it: a failed record waits the rest of it before it is received again. A running record is
 * never received again, as AWS's sizing guarantees, even when a test compresses the timeout.
 */
export class LocalQueue {
  private readonly messages = new Map<string, Message>();
  readonly deadLetters: QueueDeadLetter[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerEnd: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly spec: QueueSpec,
    private readonly lambdas: LocalLambdas,
    private readonly activity: Activity,
    private readonly visibilityMs: number,
  ) {}

  get depth(): { visible: number; inFlight: number; dead: number } {
    const now = Date.now();
    let visible = 0;
    for (const message of this.messages.values()) if (message.visibleAt <= now) visible++;
    return { visible, inFlight: this.messages.size - visible, dead: this.deadLetters.length };
  }

  /** SendMessage: the queue keeps the body; a consumer receives it soon after. */
  send(body: string): string {
    if (Buffer.byteLength(body) > MAX_MESSAGE_BYTES) throw new Error(`Message larger than 256 KB for queue ${this.spec.name}`);
    const message: Message = { messageId: randomUUID(), body, sentAt: Date.now(), receiveCount: 0, visibleAt: Date.now(), errors: [] };
    this.messages.set(message.messageId, message);
    this.pump();
    return message.messageId;
  }

  /** Moves every dead letter back into the queue (SQS's dead-letter queue redrive); returns how many. */
  redrive(): number {
    const letters = this.deadLetters.splice(0);
    for (const letter of letters) this.send(JSON.stringify(letter.body));
    return letters.length;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** Starts as many invocations as there are visible records and free concurrency, then waits for the next due record. */
  private pump(): void {
    this.clearTimer();
    if (this.stopped) return;
    while (this.running < this.spec.maxConcurrency) {
      const batch = this.receive();
      if (batch.length === 0) break;
      this.invoke(batch);
    }
    if (this.running >= this.spec.maxConcurrency) return; // the next invocation's end pumps again
    let next = Number.POSITIVE_INFINITY;
    for (const message of this.messages.values()) next = Math.min(next, message.visibleAt);
    if (!Number.isFinite(next)) return;
    // A record waiting out its visibility timeout keeps the runtime busy: drain() waits for its retry.
    this.timerEnd = this.activity.begin();
    this.timer = setTimeout(() => this.pump(), Math.max(1, next - Date.now()));
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerEnd?.();
    this.timerEnd = undefined;
  }

  private receive(): Message[] {
    const now = Date.now();
    const batch: Message[] = [];
    for (const message of this.messages.values()) {
      if (batch.length >= this.spec.batchSize) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.spec.maxReceiveCount) {
        // SQS moves a message to the dead-letter queue when a receive would exceed maxReceiveCount.
        this.messages.delete(message.messageId);
        this.deadLetters.push({
          queue: this.spec.name,
          target: this.spec.target,
          messageId: message.messageId,
          receiveCount: message.receiveCount,
          body: JSON.parse(message.body) as unknown,
          errors: message.errors,
          at: new Date(now).toISOString(),
        });
        continue;
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      // Invisible while its invocation runs: AWS's sizing (visibility six times the function's timeout)
      // guarantees a running record is never received again, whatever a test compresses the timeout to.
      message.visibleAt = Number.POSITIVE_INFINITY;
      message.receivedAt = now;
      batch.push(message);
    }
    return batch;
  }

  private invoke(batch: Message[]): void {
    this.running++;
    const end = this.activity.begin();
    const event = { Records: batch.map((message) => this.record(message)) };
    const run = async () => {
      const failed = await this.lambdas.invoke(this.spec.target, event, 'queue').then(
        (result) => failedIds({ status: 'fulfilled', value: result }, batch),
        (error: unknown) => failedIds({ status: 'rejected', reason: error }, batch),
      );
      for (const message of batch) {
        const reason = failed.get(message.messageId);
        if (reason === undefined) {
          this.messages.delete(message.messageId);
          continue;
        }
        // Lambda leaves a failed record in the queue: it becomes visible when the receive's timeout ends.
        message.errors.push(reason);
        message.visibleAt = Math.max((message.receivedAt ?? Date.now()) + this.visibilityMs, Date.now());
      }
    };
    void run().finally(() => {
      this.running--;
      end();
      this.pump();
    });
  }

  private record(message: Message) {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: LOCAL_ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:convene-${this.spec.name}`,
      awsRegion: LOCAL_REGION,
    };
  }
}

/** The records an invocation did not finish, with why: all of them if it threw, else its batchItemFailures. */
function failedIds(outcome: PromiseSettledResult<unknown>, batch: readonly Message[]): Map<string, string> {
  if (outcome.status === 'rejected') {
    const error = outcome.reason as unknown;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Map(batch.map((m) => [m.messageId, reason]));
  }
  const failures: unknown = (outcome.value as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures ?? [];
  // As Lambda treats it: a response naming no record of the batch, or not a list of them, fails the whole batch.
  const ids = new Set(batch.map((m) => m.messageId));
  const valid = Array.isArray(failures) && failures.every((f) => typeof (f as { itemIdentifier?: unknown })?.itemIdentifier === 'string' && ids.has((f as { itemIdentifier: string }).itemIdentifier));
  if (!valid) return new Map(batch.map((m) => [m.messageId, 'invalid partial batch response: the whole batch failed']));
  return new Map((failures as Array<{ itemIdentifier: string }>).map((f) => [f.itemIdentifier, 'reported as a batch item failure']));
}

/** The queues of topology.queues, by consumer. */
export class LocalQueues {
  readonly byTarget = new Map<FunctionName, LocalQueue>();

  /** @param visibilityMs - every queue's visibility timeout, for tests that compress time; by default each queue's own, as CDK sets it */
  constructor(lambdas: LocalLambdas, activity: Activity, visibilityMs?: number) {
    for (const spec of queues) this.byTarget.set(spec.target, new LocalQueue(spec, lambdas, activity, visibilityMs ?? visibilityTimeoutSeconds(spec) * 1000));
  }

  of(target: FunctionName): LocalQueue {
    const queue = this.byTarget.get(target);
    if (!queue) throw new Error(`No queue for ${target} in topology.queues`);
    return queue;
  }

  get deadLetters(): QueueDeadLetter[] {
    return [...this.byTarget.values()].flatMap((q) => q.deadLetters);
  }

  redrive(): number {
    return [...this.byTarget.values()].reduce((sum, q) => sum + q.redrive(), 0);
  }

  stop(): void {
    for (const queue of this.byTarget.values()) queue.stop();
  }
}
