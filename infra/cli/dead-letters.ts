import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueueTagsCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { OUTBOX_PREFIX } from '../../functions/core/store/keys.ts';
import * as z from 'zod';
import { DEAD_LETTER_TAGS, type DeadLetterKind } from '../constructs/dead-letter-queue.ts';

/** One dead-letter queue and what sits in it. */
export type DeadLetterQueueSummary = { kind: DeadLetterKind; queue: string; messages: number; target?: string; latestError?: string };
/** What a redrive did with one queue: delivered again, left in place (and why). */
export type RedriveResult = { kind: DeadLetterKind; queue: string; redriven: number; left: number; note?: string };

export interface DeadLetters {
  list(): Promise<DeadLetterQueueSummary[]>;
  redrive(): Promise<RedriveResult[]>;
}

const localDlq = z.object({
  queues: z.array(z.object({ queue: z.string(), target: z.string(), errors: z.array(z.string()) })),
  events: z.array(z.object({ rule: z.string(), target: z.string(), error: z.string() })),
  streams: z.array(z.object({ stream: z.string(), error: z.string() })),
});

/**
 * The local runtime's dead letters, through its `/_local/dlq` routes: the consumer queues' dead-letter
 * queues, the rules' undelivered events and the stream relay's failed batches. A redrive moves every
 * consumer queue's dead letters back into the queue and delivers every undelivered event once more.
 */
export function localDeadLetters(apiUrl: string): DeadLetters {
  const read = async () => localDlq.parse(await (await fetch(`${apiUrl}/_local/dlq`)).json());
  const summarise = (dlq: z.infer<typeof localDlq>): DeadLetterQueueSummary[] => {
    const groups = new Map<string, DeadLetterQueueSummary>();
    const add = (kind: DeadLetterKind, queue: string, target: string, error: string | undefined) => {
      const entry = groups.get(`${kind}|${queue}`) ?? { kind, queue, messages: 0, target };
      entry.messages++;
      if (error) entry.latestError = error;
      groups.set(`${kind}|${queue}`, entry);
    };
    for (const letter of dlq.queues) add('consumer-queue', letter.queue, letter.target, letter.errors.at(-1));
    for (const letter of dlq.events) add('rule', letter.rule, letter.target, letter.error);
    for (const letter of dlq.streams) add('stream', letter.stream, 'publishEvents', letter.error);
    return [...groups.values()];
  };
  return {
    list: async () => summarise(await read()),
    redrive: async () => {
      const before = summarise(await read());
      const response = await fetch(`${apiUrl}/_local/dlq/replay`, { method: 'POST', signal: AbortSignal.timeout(300_000) });
      if (!response.ok) throw new Error(`redrive failed: ${response.status} ${await response.text()}`);
      const after = summarise(await read());
      return before.map((entry) => {
        const left = after.find((a) => a.kind === entry.kind && a.queue === entry.queue)?.messages ?? 0;
        return entry.kind === 'stream'
          ? { kind: entry.kind, queue: entry.queue, redriven: 0, left, note: 'the local stream poller keeps failed batches for inspection only' }
          : { kind: entry.kind, queue: entry.queue, redriven: entry.messages, left };
      });
    },
  };
}

export type AwsClients = { cloudformation: CloudFormationClient; sqs: SQSClient; lambda: LambdaClient; streams: DynamoDBStreamsClient };

export const awsClients = (): AwsClients => ({
  cloudformation: new CloudFormationClient({}),
  sqs: new SQSClient({}),
  lambda: new LambdaClient({}),
  streams: new DynamoDBStreamsClient({}),
});

const streamFailure = z.object({
  DDBStreamBatchInfo: z.object({ shardId: z.string(), startSequenceNumber: z.string(), endSequenceNumber: z.string(), streamArn: z.string() }),
});

/** The stack's dead-letter queues, found by the tags the DeadLetterQueue construct puts on each. */
async function stackDeadLetterQueues(clients: AwsClients, stackName: string) {
  const found: Array<{ url: string; kind: DeadLetterKind; target?: string }> = [];
  const functions = new Map<string, string>();
  for await (const page of paginateListStackResources({ client: clients.cloudformation }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? []) {
      if (resource.ResourceType === 'AWS::Lambda::Function' && resource.LogicalResourceId && resource.PhysicalResourceId) functions.set(resource.LogicalResourceId, resource.PhysicalResourceId);
      if (resource.ResourceType !== 'AWS::SQS::Queue' || !resource.PhysicalResourceId) continue;
      const { Tags: tags = {} } = await clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: resource.PhysicalResourceId }));
      const kind = tags[DEAD_LETTER_TAGS.kind] as DeadLetterKind | undefined;
      if (kind) found.push({ url: resource.PhysicalResourceId, kind, ...(tags[DEAD_LETTER_TAGS.target] ? { target: tags[DEAD_LETTER_TAGS.target] } : {}) });
    }
  }
  // A stream's target is tagged with the topology's function name (`publishEvents`): its function's logical
  // id is `Functions<PascalName>Function<hash>` (infra/constructs/functions.ts).
  for (const queue of found) {
    if (queue.kind !== 'stream' || !queue.target) continue;
    const prefix = `Functions${queue.target[0]!.toUpperCase()}${queue.target.slice(1)}Function`;
    queue.target = [...functions].find(([logicalId]) => logicalId.startsWith(prefix))?.[1] ?? queue.target;
  }
  return found;
}

async function depth(clients: AwsClients, url: string): Promise<{ messages: number; arn: string }> {
  const { Attributes: a = {} } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { messages: Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0), arn: a.QueueArn ?? '' };
}

/**
 * Receives a queue's messages ten at a time and deletes each one `deliver` delivered; returns how many.
 * At most `limit` (the depth counted before): a message that fails again after its delivery and comes back
 * to this queue waits for the next redrive instead of going round for ever.
 */
async function drainQueue(clients: AwsClients, url: string, limit: number, deliver: (body: string) => Promise<void>): Promise<{ redriven: number; failed: number; error?: string }> {
  let redriven = 0;
  let failed = 0;
  let error: string | undefined;
  while (redriven + failed < limit) {
    const { Messages: messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 120 }));
    if (messages.length === 0) return { redriven, failed, ...(error ? { error } : {}) };
    for (const message of messages) {
      try {
        await deliver(message.Body ?? '');
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
        redriven++;
      } catch (cause) {
        // Left in the queue (visible again in two minutes): a later redrive tries again.
        failed++;
        error = cause instanceof Error ? cause.message : String(cause);
      }
    }
    if (failed > 0) break;
  }
  return { redriven, failed, ...(error ? { error } : {}) };
}

/** The records of a failed stream batch, read again from the stream (which keeps them 24 hours). */
async function streamRecords(clients: AwsClients, batch: z.infer<typeof streamFailure>['DDBStreamBatchInfo']): Promise<_Record[]> {
  const { ShardIterator } = await clients.streams.send(
    new GetShardIteratorCommand({ StreamArn: batch.streamArn, ShardId: batch.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: batch.startSequenceNumber }),
  );
  const records: _Record[] = [];
  const end = BigInt(batch.endSequenceNumber);
  let reachedEnd = false;
  // A shard may answer a few empty pages before the records: a bounded number, then the batch counts as gone.
  for (let iterator = ShardIterator, empty = 0; iterator && !reachedEnd && empty < 10; ) {
    const out = await clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    if (!out.Records?.length) empty++;
    for (const record of out.Records ?? []) {
      const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0');
      if (sequence <= end) records.push(record);
      if (sequence >= end) reachedEnd = true;
    }
    iterator = out.NextShardIterator;
  }
  if (!reachedEnd) throw new Error('the batch is no longer whole in the stream (kept 24 hours)');
  // The relay's event source filter, applied as Lambda applies it: outbox inserts only.
  return records.filter((record) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.pk?.S?.startsWith(OUTBOX_PREFIX));
}

/**
 * The deployed stack's dead letters (by CloudFormation stack name, with the caller's credentials). A
 * redrive delivers each kind again as it must be delivered: a consumer queue's dead letters move back
 * to their queue (an SQS message move task); a rule's undelivered events are sent to the queue the rule
 * meant them for; a failed outbox batch is read again from the table's stream and its outbox inserts
 * handed to the relay. Forwarded SES events and scheduled runs are listed, not replayed (DeadLetterKind).
 */
export function awsDeadLetters(stackName: string, clients: AwsClients = awsClients()): DeadLetters {
  return {
    list: async () => {
      const queues = await stackDeadLetterQueues(clients, stackName);
      return Promise.all(queues.map(async (q) => ({ kind: q.kind, queue: q.url, messages: (await depth(clients, q.url)).messages, ...(q.target ? { target: q.target } : {}) })));
    },
    redrive: async () => {
      const results: RedriveResult[] = [];
      for (const q of await stackDeadLetterQueues(clients, stackName)) {
        const { messages, arn } = await depth(clients, q.url);
        if (messages === 0) continue;
        switch (q.kind) {
          case 'consumer-queue': {
            try {
              await clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
              results.push({ kind: q.kind, queue: q.url, redriven: messages, left: 0, note: 'message move task started: the records go back to their queue within minutes' });
            } catch (error) {
              results.push({ kind: q.kind, queue: q.url, redriven: 0, left: messages, note: error instanceof Error ? error.message : String(error) });
            }
            break;
          }
          case 'rule': {
            // What EventBridge failed to deliver goes to the queue it was meant for, as it would have (the
            // message body is the event): only that rule's consumer gets it again, `aws.ses` events included.
            if (!q.target) {
              results.push({ kind: q.kind, queue: q.url, redriven: 0, left: messages, note: 'no redrive target tag' });
              break;
            }
            const { QueueUrl: targetUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: q.target.split(':').at(-1)!, QueueOwnerAWSAccountId: q.target.split(':')[4] }));
            const outcome = await drainQueue(clients, q.url, messages, async (body) => {
              await clients.sqs.send(new SendMessageCommand({ QueueUrl: targetUrl, MessageBody: body }));
            });
            results.push({ kind: q.kind, queue: q.url, redriven: outcome.redriven, left: messages - outcome.redriven, ...(outcome.error ? { note: outcome.error } : {}) });
            break;
          }
          case 'stream': {
            const outcome = await drainQueue(clients, q.url, messages, async (body) => {
              const { DDBStreamBatchInfo: batch } = streamFailure.parse(JSON.parse(body));
              const records = (await streamRecords(clients, batch)).map((record) => ({
                ...record,
                eventSourceARN: batch.streamArn,
                dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: Math.floor((record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000) },
              }));
              if (records.length === 0) return; // nothing of the outbox in it: nothing to relay
              const out = await clients.lambda.send(new InvokeCommand({ FunctionName: q.target, Payload: Buffer.from(JSON.stringify({ Records: records })) }));
              const answer = out.Payload ? (JSON.parse(Buffer.from(out.Payload).toString('utf8')) as { batchItemFailures?: unknown[] } | null) : null;
              if (out.FunctionError || (answer?.batchItemFailures?.length ?? 0) > 0) throw new Error(`the relay failed again: ${out.FunctionError ?? 'batch item failures'}`);
            });
            results.push({ kind: q.kind, queue: q.url, redriven: outcome.redriven, left: messages - outcome.redriven, ...(outcome.error ? { note: outcome.error } : {}) });
            break;
          }
          default:
            results.push({
              kind: q.kind,
              queue: q.url,
              redriven: 0,
              left: messages,
              note: q.kind === 'forward' ? 'SES events (aws.ses) cannot be put on a bus again: the delivery status of those mails stays as it was' : 'scheduled runs are not replayed: the job resumes on its next run; purge the queue once read',
            });
        }
      }
      return results;
    },
  };
}
