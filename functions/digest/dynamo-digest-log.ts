import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DigestLog } from './digest.ts';
import { hashEmail } from '../core/store/keys.ts';

const dayKey = (day: string) => ({ pk: `DIGEST#${day}`, sk: 'DIGEST' });
const LAST = { pk: 'DIGEST#LAST', sk: 'DIGEST' };
const optOutKey = (addressHash: string) => ({ pk: `DIGEST-OPTOUT#${addressHash}`, sk: 'OPTOUT' });

/** A claim older than this is taken over: the run that made it died before sending. */
const STALE_CLAIM_MS = 15 * 60_000;

export class DynamoDigestLog implements DigestLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(day: string, now: Date): Promise<{ previousAt?: string } | 'sent'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...dayKey(day), type: 'digest', status: 'sending', at: now.toISOString(), ttl: Math.floor(now.getTime() / 1000) + 90 * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND #at < :stale)',
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: { ':sending': 'sending', ':stale': new Date(now.getTime() - STALE_CLAIM_MS).toISOString() },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'sent';
      throw error;
    }
    const last = await this.client.send(new GetCommand({ TableName: this.tableName, Key: LAST, ConsistentRead: true }));
    return last.Item?.at ? { previousAt: String(last.Item.at) } : {};
  }

  async complete(day: string, now: Date): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: this.tableName, Key: dayKey(day), UpdateExpression: 'SET #status = :sent', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':sent': 'sent' } } },
          { Put: { TableName: this.tableName, Item: { ...LAST, type: 'digest', at: now.toISOString() } } },
        ],
      }),
    );
  }

  async release(day: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: dayKey(day) }));
  }

  /** One-click unsubscribe of an organiser, known only by the hash of the address in their link. */
  async optOut(addressHash: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...optOutKey(addressHash), type: 'optout' } }));
  }

  async isOptedOut(address: string): Promise<boolean> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: optOutKey(hashEmail(address)) }));
    return Boolean(out.Item);
  }
}
