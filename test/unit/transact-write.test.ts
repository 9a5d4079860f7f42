import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConcurrencyConflict } from '../../functions/core/errors.ts';
import { SeatUnavailable } from '../../functions/intake/registration-store.ts';
import { transactWrite } from '../../functions/core/store/items.ts';

/** A client that fails every send with the given error: DynamoDB Local never produces these two. */
const failingClient = (error: Error) => ({ send: async () => Promise.reject(error) }) as unknown as DynamoDBDocumentClient;

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

const items = [
  { item: { Put: { TableName: 't', Item: {} } }, onConditionFailed: () => new Error('first') },
  { item: { Put: { TableName: 't', Item: {} } }, onConditionFailed: () => new SeatUnavailable('s1') },
];

describe('transactWrite error mapping', () => {
  it('maps a failed condition to the typed error of the item that failed', async () => {
    await expect(transactWrite(failingClient(cancelled(['None', 'ConditionalCheckFailed'])), items)).rejects.toBeInstanceOf(SeatUnavailable);
  });

  it('maps a TransactionConflict cancellation to ConcurrencyConflict, so the caller retries', async () => {
    await expect(transactWrite(failingClient(cancelled(['TransactionConflict', 'None'])), items)).rejects.toBeInstanceOf(ConcurrencyConflict);
  });

  it('maps TransactionConflictException to ConcurrencyConflict', async () => {
    const error = Object.assign(new Error('conflict'), { name: 'TransactionConflictException' });
    await expect(transactWrite(failingClient(error), items)).rejects.toBeInstanceOf(ConcurrencyConflict);
  });

  it('lets other errors escape unchanged', async () => {
    const error = new Error('throttled');
    await expect(transactWrite(failingClient(error), items)).rejects.toBe(error);
  });
});
