import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../core/store/keys.ts';
import type { RateLedger } from './send-pace.ts';

/** A slot's item outlives its half second by this much (DynamoDB TTL deletes it later). */
const SLOT_TTL_SECONDS = 3600;

/**
 * The bulk send-rate ledger in the table: one item per half-second slot, its `used` count raised by a
 * conditional ADD, so two senders reserving at once can never both fill the same room. Two writes a
 * second at the paced rate; the items expire after an hour.
 */
export class DynamoRateLedger implements RateLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(slot: { index: number; slotMs: number }, recipients: number, limit: number): Promise<boolean> {
    if (recipients > limit) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendRateSlot(slot.slotMs, slot.index),
          UpdateExpression: 'ADD used :n SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':n': recipients, ':room': limit - recipients, ':ttl': Math.floor((slot.index * slot.slotMs) / 1000) + SLOT_TTL_SECONDS },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
