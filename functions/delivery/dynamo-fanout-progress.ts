import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { foldRefusals, type FailedRecipient, type FanOutProgress, type SentMessage } from './fan-out.ts';
import type { MailRecord } from './mail-log.ts';
import { keys } from '../core/store/keys.ts';
import { queryAll } from '../core/store/query.ts';

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

  async markSent(call: { jobKey: string; kind: string; sessionId: string }, sent: ReadonlyArray<SentMessage>, at: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: keys.session(call.sessionId).pk,
          sk: `${progressPrefix(call.jobKey)}${sent[0]!.messageId}`,
          type: 'fanout-progress',
          jobKey: call.jobKey,
          kind: call.kind,
          participantIds: sent.map((m) => m.participantId),
          messageIds: sent.map((m) => m.messageId),
          sentAt: at.toISOString(),
          ttl: Math.floor(at.getTime() / 1000) + PROGRESS_TTL_DAYS * 86_400,
        },
      }),
    );
  }

  /** The bulk mails sent for a session (every job), optionally only one participant's, as 'sent' records. */
  async sentMails(sessionId: string, participantId?: string): Promise<MailRecord[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(participantId ? { FilterExpression: 'contains(participantIds, :participant)' } : {}),
      ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': FANOUT_PREFIX, ...(participantId ? { ':participant': participantId } : {}) },
    });
    return items.flatMap((raw) => {
      const item = progressItem.parse(raw);
      return item.participantIds.flatMap((id, index): MailRecord[] => {
        const messageId = item.messageIds[index];
        if (!messageId || (participantId && id !== participantId)) return [];
        return [{ messageId, participantId: id, kind: item.kind, sessionId, sentAt: item.sentAt, status: 'sent' }];
      });
    });
  }

  /**
   * One item per run (and per 1,000 of its recipients, far below DynamoDB's 400 KB item) that ended with
   * recipients refused: `SESSION#<id>` / `FANREFUSED#<jobKey>#<time>#<uuid>`.
   */
  async markRefused(call: { jobKey: string; kind: string; sessionId: string }, participantIds: readonly string[], at: Date, mark?: { gaveUp: true }): Promise<void> {
    const ids = [...new Set(participantIds)];
    for (let start = 0; start < ids.length; start += REFUSED_PER_ITEM) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: keys.session(call.sessionId).pk,
            sk: `${refusedPrefix(call.jobKey)}${at.toISOString()}#${randomUUID()}`,
            type: 'fanout-refused',
            jobKey: call.jobKey,
            kind: call.kind,
            participantIds: ids.slice(start, start + REFUSED_PER_ITEM),
            at: at.toISOString(),
            ...(mark?.gaveUp ? { gaveUp: true } : {}),
            ttl: Math.floor(at.getTime() / 1000) + PROGRESS_TTL_DAYS * 86_400,
          },
        }),
      );
    }
  }

  async refusedRuns(sessionId: string, jobKey: string): Promise<Map<string, { runs: number; since: Date; gaveUp?: boolean }>> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': refusedPrefix(jobKey) },
      ProjectionExpression: 'participantIds, #at, gaveUp',
      ExpressionAttributeNames: { '#at': 'at' },
      ConsistentRead: true,
    });
    return foldRefusals(items.map((item) => refusedItem.parse(item)));
  }

  /**
   * One item per run (and per 500 of its failures) that failed recipients for good:
   * `SESSION#<id>` / `FANFAILED#<jobKey>#<time>#<uuid>`, read by the session's deliveries.
   */
  async markFailed(call: { jobKey: string; kind: string; sessionId: string }, failed: ReadonlyArray<FailedRecipient>, at: Date): Promise<void> {
    for (let start = 0; start < failed.length; start += FAILED_PER_ITEM) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: keys.session(call.sessionId).pk,
            sk: `${FAILED_PREFIX}${call.jobKey}#${at.toISOString()}#${randomUUID()}`,
            type: 'fanout-failed',
            jobKey: call.jobKey,
            kind: call.kind,
            failures: failed.slice(start, start + FAILED_PER_ITEM).map(({ participantId, error }) => ({ participantId, error: cutToBytes(withoutAddresses(error), 300) })),
            at: at.toISOString(),
            ttl: Math.floor(at.getTime() / 1000) + PROGRESS_TTL_DAYS * 86_400,
          },
        }),
      );
    }
  }

  /** The recipients bulk mail of a session failed for good: the latest failure per participant and kind, oldest first. */
  async failures(sessionId: string): Promise<BulkFailure[]> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': FAILED_PREFIX },
    });
    const latest = new Map<string, BulkFailure>();
    for (const item of items.map((raw) => failedItem.parse(raw))) {
      for (const { participantId, error } of item.failures) {
        const key = `${item.kind}#${participantId}`;
        const seen = latest.get(key);
        if (!seen || seen.failedAt < item.at) latest.set(key, { participantId, kind: item.kind, sessionId, failedAt: item.at, error });
      }
    }
    return [...latest.values()].sort((a, b) => a.failedAt.localeCompare(b.failedAt) || a.participantId.localeCompare(b.participantId));
  }

  async reached(sessionId: string, jobKey: string): Promise<Set<string>> {
    const items = await queryAll(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':prefix': progressPrefix(jobKey) },
      ProjectionExpression: 'participantIds',
      ConsistentRead: true,
    });
    return new Set(items.flatMap((item) => reachedItem.parse(item).participantIds));
  }
}

/** One SendBulkEmail call's progress item: who it reached and the message id of each. */
const progressItem = z.object({
  participantIds: z.array(z.string()).default([]),
  messageIds: z.array(z.string()).default([]),
  kind: z.string(),
  sentAt: z.string(),
});
const reachedItem = progressItem.pick({ participantIds: true });
const refusedItem = z.object({ participantIds: z.array(z.string()).default([]), at: z.string(), gaveUp: z.boolean().optional() });
const REFUSED_PER_ITEM = 1000;
const failedItem = z.object({ kind: z.string(), at: z.string(), failures: z.array(z.object({ participantId: z.string(), error: z.string() })).default([]) });
/**
 * SES's reasons may quote the address (MESSAGE_REJECTED lists the ones that failed its check); the record
 * names participants only by id, so an erased registrant's address never outlives them here.
 */
const withoutAddresses = (error: string) => error.replace(/[^\s,;:<>()"']+@[^\s,;:<>()"']+/g, '<address>');
/** An id and an error of at most 300 bytes each: 500 stay far below DynamoDB's 400 KB item. */
const FAILED_PER_ITEM = 500;
/** Not under FANOUT#: the progress and the mail log's sent records never read these. */
const FAILED_PREFIX = 'FANFAILED#';

/** A recipient that a session's bulk mail (a notice, a reminder) failed for good, as the deliveries list shows them. */
export type BulkFailure = { participantId: string; kind: string; sessionId: string; failedAt: string; error: string };

const FANOUT_PREFIX = 'FANOUT#';
const progressPrefix = (jobKey: string) => `${FANOUT_PREFIX}${jobKey}#`;
/** Not under FANOUT#: the progress and the mail log never read these. */
const refusedPrefix = (jobKey: string) => `FANREFUSED#${jobKey}#`;

/**
 * The longest start of `text` of at most `max` UTF-8 bytes, never cutting a character in two: DynamoDB
 * counts an item's size in bytes, and SES's reasons may quote text in any script.
 */
export function cutToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}
