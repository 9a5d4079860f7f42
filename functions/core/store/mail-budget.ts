import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { hashEmail } from './keys.ts';

/** The counter of one address in one clock hour (erasure deletes the current and the previous one). */
export const mailBudgetKey = (address: string, at: Date) => ({ pk: `BUDGET#${hashEmail(address)}`, sk: `HOUR#${at.toISOString().slice(0, 13)}` });

/** The mail budget of public actions: a counter per address and clock hour, kept two hours (TTL). */
export type MailBudget = { take(address: string, now: Date): Promise<boolean> };

/**
 * Public actions (a registration, "mail me my link") may make Convene mail one address at most `perHour`
 * times in a clock hour, so nobody can mail-bomb a third party from the forum's own sender. `take` counts
 * one against the address and answers false, counting nothing, once the hour's budget is spent.
 */
export class DynamoMailBudget implements MailBudget {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly perHour: number,
  ) {}

  async take(address: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailBudgetKey(address, now),
          UpdateExpression: 'ADD mails :one SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(mails) OR mails < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': this.perHour, ':ttl': Math.floor(now.getTime() / 1000) + 2 * 3600 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
