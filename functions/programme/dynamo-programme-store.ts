import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyConflict } from '../core/errors.ts';
import type { Session, SessionInput } from '../core/model.ts';
import type { ProgrammeStore } from './programme-store.ts';
import { pendingNotice, type ChangePlan, type PendingNotice, type ProgrammeChangeStore } from './change-session.ts';
import { batchGet, transactWrite } from '../core/store/items.ts';
import { RequestError } from '../core/errors.ts';
import { keys, programmeIndex } from '../core/store/keys.ts';
import { queryAll } from '../core/store/query.ts';
import { sessionFromItem, sessionItem } from '../core/store/session-item.ts';

const ORGANISER_FIELDS = ['title', 'kind', 'startsAt', 'endsAt', 'capacity', 'restricted', 'joinUrl', 'description', 'claimWindowHours', 'changedAt'] as const;

const NOTICES_INDEX_PK = 'NOTICES';
export const FORUM_KEY = keys.forum;
export const noticeKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'NOTICE' });

export class DynamoProgrammeStore implements ProgrammeStore, ProgrammeChangeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every session in start order: the programme index gives the keys, the sessions are read by key. */
  async listSessions(): Promise<Session[]> {
    return this.sessionsOf(
      await queryAll(this.client, this.tableName, {
        IndexName: programmeIndex.name,
        KeyConditionExpression: 'programmePk = :pk',
        ExpressionAttributeValues: { ':pk': programmeIndex.partition.programmePk },
      }),
    );
  }

  /** Sessions starting in (from, to], from the programme index. */
  async sessionsStartingBetween(from: Date, to: Date): Promise<Session[]> {
    return this.sessionsOf(
      await queryAll(this.client, this.tableName, {
        IndexName: programmeIndex.name,
        KeyConditionExpression: 'programmePk = :pk AND programmeSk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': programmeIndex.partition.programmePk, ':from': from.toISOString(), ':to': `${to.toISOString()}~` },
      }),
    );
  }

  /** The sessions the keys-only index entries name, in the index's order (start time, then id). */
  private async sessionsOf(entries: Array<Record<string, unknown>>): Promise<Session[]> {
    const order = new Map(entries.map((entry, index) => [String(entry.pk), index]));
    const items = await batchGet(this.client, this.tableName, entries.map((entry) => ({ pk: String(entry.pk), sk: String(entry.sk) })));
    return items.sort((a, b) => order.get(String(a.pk))! - order.get(String(b.pk))!).map(sessionFromItem);
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.session(sessionId), ConsistentRead: true }));
    return out.Item ? sessionFromItem(out.Item) : undefined;
  }

  async createSession(input: SessionInput): Promise<void> {
    const session: Session = { ...input, status: 'scheduled', version: 1, seatsTaken: 0, waitlistCount: 0, pendingCount: 0, waitlistSeq: 0, seatsHeld: 0, waitlistHeld: 0, pendingHeld: 0 };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: sessionItem(session), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrencyConflict('Session created concurrently', { cause: error });
      throw error;
    }
    await this.extendForumEnd(input.endsAt);
  }

  /**
   * Keeps the end of the forum's last session, from which personal data expires. It only ever moves
   * later: a session moved earlier keeps the date (data then lives a little longer, never shorter).
   */
  async extendForumEnd(endsAt: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: FORUM_KEY,
          UpdateExpression: 'SET lastEndsAt = :end',
          ConditionExpression: 'attribute_not_exists(lastEndsAt) OR lastEndsAt < :end',
          ExpressionAttributeValues: { ':end': new Date(endsAt).toISOString() },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async applyChange(plan: ChangePlan): Promise<void> {
    const { before, after } = plan;
    const names: Record<string, string> = { '#version': 'version', '#seats': 'seatsTaken', '#capacity': 'capacity', '#programmeSk': 'programmeSk', '#status': 'status' };
    const values: Record<string, unknown> = {
      ':expected': before.version,
      ':version': after.version,
      ':capacity': after.capacity,
      ':programmeSk': programmeIndex.sortKey(after.startsAt, after.sessionId),
      ':status': after.status,
    };
    const sets = ['#version = :version', '#capacity = :capacity', '#programmeSk = :programmeSk', '#status = :status'];
    const removes: string[] = [];
    for (const field of ORGANISER_FIELDS) {
      if (field === 'capacity') continue;
      names[`#${field}`] = field;
      if (after[field] === undefined) removes.push(`#${field}`);
      else {
        sets.push(`#${field} = :${field}`);
        values[`:${field}`] = after[field];
      }
    }
    const items: Parameters<typeof transactWrite>[1] = [
      {
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.session(after.sessionId),
            // Counters are never written here (registrations change them concurrently); the seats already
            // taken are checked against the new capacity at write time.
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: '#version = :expected AND #seats <= :capacity',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        onConditionFailed: () => new ConcurrencyConflict('Session changed concurrently'),
      },
      ...plan.outbox.map((item) => ({ item: { Put: { TableName: this.tableName, Item: item } }, onConditionFailed: () => new Error('outbox write failed') })),
    ];
    if (plan.notice) {
      items.push({
        item: {
          Update: {
            TableName: this.tableName,
            Key: noticeKey(after.sessionId),
            // The baseline is what registrants were last told: set by the first edit of a burst, kept after.
            UpdateExpression:
              'SET baseline = if_not_exists(baseline, :baseline), changedAt = if_not_exists(changedAt, :changedAt), #version = :version, dueAt = :due, gsi2pk = :g2pk, gsi2sk = :g2sk, sessionId = :sid, #type = :type' +
              (plan.notice.reason ? ', reason = :reason' : ''),
            ExpressionAttributeNames: { '#version': 'version', '#type': 'type' },
            ExpressionAttributeValues: {
              ':baseline': plan.notice.baseline,
              ':changedAt': plan.notice.changedAt,
              ':version': after.version,
              ':due': plan.notice.dueAt,
              ':g2pk': NOTICES_INDEX_PK,
              ':g2sk': `${plan.notice.dueAt}#${after.sessionId}`,
              ':sid': after.sessionId,
              ':type': 'notice',
              ...(plan.notice.reason ? { ':reason': plan.notice.reason } : {}),
            },
          },
        },
        onConditionFailed: () => new ConcurrencyConflict('Notice changed concurrently'),
      });
    }
    try {
      await transactWrite(this.client, items);
      if (after.endsAt !== before.endsAt) await this.extendForumEnd(after.endsAt);
    } catch (error) {
      if (error instanceof ConcurrencyConflict) {
        const current = await this.getSession(after.sessionId);
        if (current && current.version === before.version && current.seatsTaken > after.capacity) {
          throw new RequestError(409, 'capacity_below_seats_taken', `Capacity ${after.capacity} is below the ${current.seatsTaken} seats already taken.`);
        }
      }
      throw error;
    }
  }

  /** Pending notices whose quiet period ended by `now`. */
  async dueNotices(now: Date): Promise<PendingNotice[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
        ExpressionAttributeValues: { ':pk': NOTICES_INDEX_PK, ':now': `${now.toISOString()}~` },
      }),
    );
    return (out.Items ?? []).map((item) => pendingNotice.parse(item));
  }

  /**
   * Closes a notice once its fan-out finished. If organisers changed the session again meanwhile (a newer
   * version), the notice stays pending with the state just sent as its new baseline, and the newer burst
   * dates from when this one began sending (its first change came no earlier): who registered after that
   * hears no "it was" (some who registered just before, and saw the sent state, miss it: not known here).
   */
  async completeNotice(notice: PendingNotice, sent: PendingNotice['baseline'], sendingSince: Date): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: noticeKey(notice.sessionId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': notice.version },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: noticeKey(notice.sessionId), UpdateExpression: 'SET baseline = :sent, changedAt = :since', ExpressionAttributeValues: { ':sent': sent, ':since': sendingSince.toISOString() } }),
      );
    }
  }

}
