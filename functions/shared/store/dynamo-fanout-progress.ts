import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FanOutProgress, SentMessage } from '../fanout/fan-out.ts';
import type { MailRecord } from '../mail/mail-log.ts';
import { keys } from './keys.ts';

/** Progress records outlive any resume by far; they name participants only by id. */
const PROGRESS_TTL_DAYS = 180;

/**
 * Fan-out progress, one item per SendBulkEmail call in the session's partition:
 * `SESSION#<id>` / `FANOUT#<jobKey>#<first message id>` listing the participants the call reached and
 * their message ids. It doubles as the log of bulk mails: a message's own item (`MAIL#<id>`) appears only
 * when SES reports on it (record-delivery), so sending 10,000 notices writes 200 items, not 10,200, and
 * resuming reads them with one Query. SES message ids are unique, so two calls never share a key, not
 * even calls of two runs that overlap, and writing the same call's progress twice is harmless.
 */
export class DynamoFanOutProgress implements FanOutProgress {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markSent(job: { key: string; kind: string }, sent: ReadonlyArray<SentMessage>, at: Date): Promise<void> {
    const bySession = new Map<string, SentMessage[]>();
    for (const message of sent) bySession.set(message.sessionId, [...(bySession.get(message.sessionId) ?? []), message]);
    await Promise.all(
      [...bySession].map(([sessionId, messages]) =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: keys.session(sessionId).pk,
              sk: `${progressPrefix(job.key)}${messages[0]!.messageId}`,
              type: 'fanout-progress',
              jobKey: job.key,
              kind: job.kind,
              participantIds: messages.map((m) => m.participantId),
              messageIds: messages.map((m) => m.messageId),
              sentAt: at.toISOString(),
              ttl: Math.floor(at.getTime() / 1000) + PROGRESS_TTL_DAYS * 86_400,
            },
          }),
        ),
      ),
    );
  }

  /** The bulk mails sent for a session (every job), optionally only one participant's, as 'sent' records. */
  async sentMails(sessionId: string, participantId?: string): Promise<MailRecord[]> {
    const records: MailRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ...(participantId ? { FilterExpression: 'contains(participantIds, :participant)' } : {}),
          ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': FANOUT_PREFIX, ...(participantId ? { ':participant': participantId } : {}) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        const participantIds = (item.participantIds as string[] | undefined) ?? [];
        const messageIds = (item.messageIds as string[] | undefined) ?? [];
        participantIds.forEach((id, index) => {
          if (participantId && id !== participantId) return;
          const messageId = messageIds[index];
          if (messageId) records.push({ messageId, participantId: id, kind: String(item.kind), sessionId, sentAt: String(item.sentAt), status: 'sent' });
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  async reached(sessionId: string, jobKey: string): Promise<Set<string>> {
    const reached = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': progressPrefix(jobKey) },
          ProjectionExpression: 'participantIds',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) for (const id of (item.participantIds as string[] | undefined) ?? []) reached.add(id);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return reached;
  }
}

const FANOUT_PREFIX = 'FANOUT#';
const progressPrefix = (jobKey: string) => `${FANOUT_PREFIX}${jobKey}#`;
