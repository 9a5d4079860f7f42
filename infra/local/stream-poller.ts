import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { streams, type StreamSpec } from '../topology.ts';
import type { Activity } from './activity.ts';
import { matchesEventPattern, validateEventPattern } from './event-pattern.ts';
import type { LocalLambdas } from './lambdas.ts';
import { LOCAL_REGION } from './settings.ts';

type LambdaStreamRecord = Record<string, unknown> & { dynamodb: { SequenceNumber?: string } };

export type StreamFailure = { stream: string; records: number; firstSequenceNumber: string; error: string; at: string };

/**
 * Stands in for the Lambda event source mapping of the table's stream: polls every shard, applies each
 * subscription's filter, invokes the target with batches shaped as Lambda delivers them, honours
 * ReportBatchItemFailures, retries with backoff, then records the batch as an on-failure destination would.
 * Checkpoints are kept in a file so a restart neither loses nor replays records.
 */
export class StreamPoller {
  readonly failures: StreamFailure[] = [];
  private readonly iterators = new Map<string, string | undefined>();
  private readonly checkpoints: Record<string, string>;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private cycles = 0;
  private found = 0;
  /** Fault injection: hand every batch to the target twice (at-least-once delivery made visible). */
  duplicateBatches = false;
  private cycleWaiters: Array<{ target: number; from: number; resolve: (found: number) => void }> = [];

  constructor(
    private readonly client: DynamoDBStreamsClient,
    private readonly streamArn: string,
    private readonly lambdas: LocalLambdas,
    private readonly activity: Activity,
    private readonly retryBaseMs: number,
    private readonly checkpointFile?: string,
  ) {
    this.checkpoints = checkpointFile && existsSync(checkpointFile) ? (JSON.parse(readFileSync(checkpointFile, 'utf8')) as Record<string, string>) : {};
    for (const spec of streams) validateEventPattern(spec.filter);
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Resolves after `count` more complete polling passes over every shard, with the records they found. */
  passes(count: number): Promise<number> {
    const target = this.cycles + count;
    return new Promise((resolve) => this.cycleWaiters.push({ target, from: this.found, resolve }));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let found = 0;
      try {
        found = await this.pollOnce();
      } catch (error) {
        if (!this.stopped) console.error('[stream] poll failed:', error instanceof Error ? error.message : error);
      }
      this.cycles++;
      this.found += found;
      this.cycleWaiters = this.cycleWaiters.filter((waiter) => (waiter.target <= this.cycles ? (waiter.resolve(this.found - waiter.from), false) : true));
      if (found === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async pollOnce(): Promise<number> {
    const description = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    let found = 0;
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (!this.iterators.has(shardId)) this.iterators.set(shardId, await this.iteratorFor(shardId));
      const iterator = this.iterators.get(shardId);
      if (!iterator) continue; // closed and fully read
      const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = out.Records ?? [];
      found += records.length;
      if (records.length > 0) {
        await this.deliver(records.map((record) => this.lambdaRecord(record)));
        this.checkpoints[shardId] = records.at(-1)!.dynamodb!.SequenceNumber!;
        if (this.checkpointFile) writeFileSync(this.checkpointFile, JSON.stringify(this.checkpoints));
      }
      this.iterators.set(shardId, out.NextShardIterator);
    }
    return found;
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const after = this.checkpoints[shardId];
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(after ? { SequenceNumber: after } : {}),
      }),
    );
    return out.ShardIterator;
  }

  /** The record as Lambda hands it over: DynamoDB JSON images, creation time in epoch seconds. */
  private lambdaRecord(record: StreamRecord): LambdaStreamRecord {
    const created = record.dynamodb?.ApproximateCreationDateTime;
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      dynamodb: {
        ...record.dynamodb,
        ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : created,
      },
      eventSourceARN: this.streamArn,
    } as LambdaStreamRecord;
  }

  private async deliver(records: LambdaStreamRecord[]): Promise<void> {
    for (const spec of streams) {
      const matching = records.filter((record) => matchesEventPattern(spec.filter, record));
      for (let start = 0; start < matching.length; start += spec.batchSize) {
        await this.activity.track(() => this.invokeWithRetries(spec, matching.slice(start, start + spec.batchSize)));
      }
    }
  }

  private async invokeWithRetries(spec: StreamSpec, batch: LambdaStreamRecord[]): Promise<void> {
    let remaining = batch;
    let lastError = '';
    for (let attempt = 0; attempt <= spec.retryAttempts && remaining.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(5000, this.retryBaseMs * 2 ** (attempt - 1))));
      try {
        if (this.duplicateBatches) await this.lambdas.invoke(spec.target, { Records: remaining }, 'stream').catch(() => undefined);
        const result = (await this.lambdas.invoke(spec.target, { Records: remaining }, 'stream')) as { batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined;
        const failures = result?.batchItemFailures ?? [];
        if (failures.length === 0) return;
        // As Lambda does: resume from the lowest reported sequence number.
        const first = remaining.findIndex((r) => failures.some((f) => f.itemIdentifier === r.dynamodb.SequenceNumber));
        remaining = first >= 0 ? remaining.slice(first) : remaining;
        lastError = 'batch item failure reported';
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    if (remaining.length > 0) {
      this.failures.push({
        stream: spec.name,
        records: remaining.length,
        firstSequenceNumber: remaining[0]!.dynamodb.SequenceNumber ?? '',
        error: lastError,
        at: new Date().toISOString(),
      });
    }
  }
}

export function streamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION });
}
