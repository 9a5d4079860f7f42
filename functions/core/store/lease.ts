import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

/**
 * A lease keeps a job a singleton without reserved concurrency (which a new account, whose concurrency
 * quota can be 10, cannot spare): a run takes the job's lease, a conditional item with an expiry, before
 * it works and gives it back when done. A second run that finds the lease held does nothing; a run that
 * died holding it (a timeout, a crash) blocks the job only until the lease expires.
 */
export interface Lease {
  /** @returns the holder's token when the lease was free or expired at `now`; undefined while another run holds it */
  take(job: string, now: Date, holdForMs: number): Promise<string | undefined>;
  /** Gives the lease back, if this holder still has it (an expired lease taken by another run stays theirs). */
  release(job: string, holder: string): Promise<void>;
}

export type LeasedRun<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `work` holding the job's lease, or not at all when another run holds it.
 * @param holdForMs - how long the lease holds if this run never gives it back: the time the run can
 *   still take (its function's remaining time) and a margin, so it never expires under a live run
 */
export async function whileLeased<T>(lease: Lease, job: string, now: Date, holdForMs: number, work: () => Promise<T>): Promise<LeasedRun<T>> {
  const holder = await lease.take(job, now, holdForMs);
  if (!holder) return { ran: false };
  try {
    return { ran: true, result: await work() };
  } finally {
    await lease.release(job, holder);
  }
}

/** How long a lease outlives the run that took it, so a run ending at its timeout still holds it. */
export const LEASE_MARGIN_MS = 60_000;

/** The lease as one item per job in the main table; DynamoDB's conditional writes decide who holds it. */
export class DynamoLease implements Lease {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(job: string, now: Date, holdForMs: number): Promise<string | undefined> {
    const holder = randomUUID();
    const expiresAt = now.getTime() + holdForMs;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.lease(job), holder, expiresAt, takenAt: now.toISOString(), ttl: Math.ceil(expiresAt / 1000) + 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': now.getTime() },
        }),
      );
      return holder;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async release(job: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.lease(job),
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
