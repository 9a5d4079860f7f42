import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../core/store/keys.ts';
import type { RateLedger } from './send-pace.ts';

/** A slot's item outlives its half second by this much (DynamoDB TTL deletes it later). */
const SLOT_TTL_SECONDS = 3600;
const ttlOf = (slot: { index: number; slotMs: number }) => Math.floor((slot.index * slot.slotMs) / 1000) + SLOT_TTL_SECONDS;

/**
 * The send-rate ledger in the table: one item per slot, its `used` count (and, for bulk calls, its `bulk`
 * count) raised by a conditional ADD, so two senders reserving at once can never both fill the same
 * room, or (transactional mail) by an ADD whose places past the slot's capacity are lost. One write per
 * bulk call and per slot's worth of transactional mail; the items expire after an hour.
 */
export class DynamoRateLedger implements RateLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(slot: { index: number; slotMs: number }, recipients: number, limits: { total: number; bulk?: number }): Promise<number | undefined> {
    const bulkLimit = limits.bulk;
    if (recipients > limits.total || (bulkLimit !== undefined && recipients > bulkLimit)) return undefined;
    const bulk = bulkLimit !== undefined;
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendRateSlot(slot.slotMs, slot.index),
          // BULK is one of DynamoDB's reserved words: named through #bulk.
          UpdateExpression: bulk ? 'ADD used :n, #bulk :n SET #ttl = :ttl' : 'ADD used :n SET #ttl = :ttl',
          ConditionExpression: bulk
            ? '(attribute_not_exists(used) OR used <= :room) AND (attribute_not_exists(#bulk) OR #bulk <= :bulkRoom)'
            : 'attribute_not_exists(used) OR used <= :room',
          ExpressionAttributeNames: { '#ttl': 'ttl', ...(bulk ? { '#bulk': 'bulk' } : {}) },
          ExpressionAttributeValues: {
            ':n': recipients,
            ':room': limits.total - recipients,
            ...(bulkLimit !== undefined ? { ':bulkRoom': bulkLimit - recipients } : {}),
            ':ttl': ttlOf(slot),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return Number(out.Attributes?.used ?? 0);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async claim(slot: { index: number; slotMs: number }, places: number): Promise<number> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendRateSlot(slot.slotMs, slot.index),
        UpdateExpression: 'ADD used :n SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':n': places, ':ttl': ttlOf(slot) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.used) - places;
  }
}
