import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mailRecord, type MailLog, type MailRecord } from './mail-log.ts';
import { DynamoFanOutProgress, type BulkFailure } from './dynamo-fanout-progress.ts';
import { gsi1 } from '../core/store/keys.ts';
import { queryAll } from '../core/store/query.ts';

/** Mail records live as long as the forum's personal data may (they name a participant). */
const MAIL_TTL_DAYS = 180;

export const mailKey = (messageId: string) => ({ pk: `MAIL#${messageId}`, sk: 'MAIL' });

/** The statuses a mail may move to each status from: never back, never to a weaker one. */
const STATUS_FROM: Record<MailRecord['status'], Array<MailRecord['status']>> = {
  sent: [],
  delivered: ['sent'],
  bounced: ['sent', 'delivered'],
  complained: ['sent', 'delivered', 'bounced'],
};

function mailItem(record: MailRecord) {
  return {
    ...mailKey(record.messageId),
    type: 'mail',
    ...record,
    // a participant's mails (export), and a session's mails (deliveries)
    gsi1pk: gsi1.participantRegistrations(record.participantId),
    gsi1sk: `MAIL#${record.sentAt}#${record.messageId}`,
    ...(record.sessionId ? { gsi2pk: `MAILS#${record.sessionId}`, gsi2sk: `${record.sentAt}#${record.messageId}` } : {}),
    ttl: Math.floor(Date.parse(record.sentAt) / 1000) + MAIL_TTL_DAYS * 86_400,
  };
}

/**
 * The mail log. A single mail (confirmation, status change) gets its item when sent. A bulk mail (notice,
 * reminder) is listed in its fan-out call's item and gets its own item when SES first reports on it.
 * Reading merges both, the message's own item winning.
 */
export class DynamoMailLog implements MailLog {
  private readonly bulk: DynamoFanOutProgress;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.bulk = new DynamoFanOutProgress(client, tableName);
  }

  async record(records: MailRecord[]): Promise<void> {
    const items = records.map(mailItem);
    const batches: Record<string, unknown>[][] = [];
    for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
    await Promise.all(
      batches.map(async (batch) => {
        let pending: Record<string, unknown>[] | undefined = batch;
        for (let round = 0; pending && pending.length; round++) {
          const out = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
          pending = out.UnprocessedItems?.[this.tableName]?.map((r) => r.PutRequest!.Item!) as Record<string, unknown>[] | undefined;
          if (pending?.length) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
        }
      }),
    );
  }

  /** Gives a bulk mail its own item (as sent) the first time SES reports on it; false if it had one. */
  async ensure(record: MailRecord): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: mailItem({ ...record, status: 'sent' }), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(messageId: string): Promise<MailRecord | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: mailKey(messageId), ConsistentRead: true }));
    return out.Item ? mailRecord.parse(out.Item) : undefined;
  }

  /**
   * Moves a mail to a new delivery status; returns false when it already had it (a repeated event) or a
   * stronger one: a delivery never hides a bounce or a complaint, a bounce never hides a complaint, even
   * when the events are handled at the same time (the condition is checked by DynamoDB, not by a read).
   */
  async setStatus(messageId: string, status: MailRecord['status']): Promise<boolean> {
    const from = STATUS_FROM[status];
    if (from.length === 0) return false;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailKey(messageId),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ...Object.fromEntries(from.map((value, i) => [`:from${i}`, value])) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every mail of a session, single and bulk, with its latest status, oldest first. */
  async forSession(sessionId: string): Promise<MailRecord[]> {
    const [own, bulk] = await Promise.all([this.query('gsi2', 'gsi2pk = :v', { ':v': `MAILS#${sessionId}` }), this.bulk.sentMails(sessionId)]);
    return merged(own, bulk);
  }

  /** The recipients a session's notices and reminders failed for good, and why. */
  failuresForSession(sessionId: string): Promise<BulkFailure[]> {
    return this.bulk.failures(sessionId);
  }

  /** Every mail sent to a participant: single mails, and bulk mails of the sessions given (theirs). */
  async forParticipant(participantId: string, sessionIds: readonly string[]): Promise<MailRecord[]> {
    const [own, ...bulk] = await Promise.all([
      this.query(gsi1.name, 'gsi1pk = :v AND begins_with(gsi1sk, :mail)', { ':v': gsi1.participantRegistrations(participantId), ':mail': 'MAIL#' }),
      ...sessionIds.map((sessionId) => this.bulk.sentMails(sessionId, participantId)),
    ]);
    return merged(own, bulk.flat());
  }

  private async query(index: string, condition: string, values: Record<string, string>): Promise<MailRecord[]> {
    const items = (await queryAll(this.client, this.tableName, { IndexName: index, KeyConditionExpression: condition, ExpressionAttributeValues: values })).map((item) => mailRecord.parse(item));
    return items.map(({ messageId, participantId, kind, sessionId, sentAt, status }) => ({ messageId, participantId, kind, ...(sessionId ? { sessionId } : {}), sentAt, status }));
  }
}

/** Records by message id, a message's own item winning over its listing in a fan-out call; oldest first. */
function merged(own: MailRecord[], bulk: MailRecord[]): MailRecord[] {
  const byId = new Map(bulk.map((record) => [record.messageId, record]));
  for (const record of own) byId.set(record.messageId, record);
  return [...byId.values()].sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.messageId.localeCompare(b.messageId));
}
