import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrencyConflict } from '../errors.ts';
import type { Participant, Registration, Session } from '../model.ts';
import {
  EmailClaimed,
  RegistrationExists,
  SeatUnavailable,
  SubmissionExists,
  type RegistrationStore,
  type StoredSubmission,
  type SubmissionPlan,
} from '../registration/registration-store.ts';
import { gsi1, keys } from './keys.ts';
import { sessionFromItem } from './session-item.ts';

/** DynamoDB TTL attribute (epoch seconds) for personal data, when an expiry is known. */
function ttlOf(expiresAt: Date | undefined): { ttl?: number } {
  return expiresAt ? { ttl: Math.floor(expiresAt.getTime() / 1000) } : {};
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** BatchGetItem calls kept in flight at once: enough to hide the round trip, few enough not to throttle. */
const BATCH_GET_CONCURRENCY = 2;

/** Reads many items by key, 100 per call, following UnprocessedKeys; strongly consistent. */
export async function batchGet(client: DynamoDBDocumentClient, tableName: string, itemKeys: Array<Record<string, string>>) {
  const items: Record<string, unknown>[] = [];
  const chunks: Array<Array<Record<string, string>>> = [];
  for (let start = 0; start < itemKeys.length; start += 100) chunks.push(itemKeys.slice(start, start + 100));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending: Array<Record<string, string>> | undefined = chunks[next++];
      for (let round = 0; pending && pending.length > 0; round++) {
        const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
        items.push(...(out.Responses?.[tableName] ?? []));
        pending = out.UnprocessedKeys?.[tableName]?.Keys as Array<Record<string, string>> | undefined;
        if (pending?.length) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_GET_CONCURRENCY, chunks.length) }, worker));
  return items;
}

export function registrationFromItem(item: Record<string, unknown>): Registration {
  return {
    participantId: String(item.participantId),
    sessionId: String(item.sessionId),
    status: item.status as Registration['status'],
    ...(item.waitlistPosition ? { waitlistPosition: Number(item.waitlistPosition) } : {}),
    registeredAt: String(item.registeredAt),
    updatedAt: String(item.updatedAt),
  };
}

/** Registration item attributes, including the sparse waiting-list index entry while waitlisted. */
export function registrationItem(registration: Registration) {
  return {
    ...keys.registration(registration.sessionId, registration.participantId),
    type: 'registration',
    ...registration,
    gsi1pk: gsi1.participantRegistrations(registration.participantId),
    gsi1sk: `REG#${registration.sessionId}`,
    ...(registration.status === 'waitlisted' && registration.waitlistPosition
      ? { gsi2pk: `WAITLIST#${registration.sessionId}`, gsi2sk: String(registration.waitlistPosition).padStart(10, '0') }
      : {}),
  };
}

export class DynamoRegistrationStore implements RegistrationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>> {
    const items = await batchGet(this.client, this.tableName, sessionIds.map((id) => keys.session(id)));
    return new Map(items.map((item) => [String(item.sessionId), sessionFromItem(item)]));
  }

  async getSessionsAndForumEnd(sessionIds: readonly string[]) {
    const items = await batchGet(this.client, this.tableName, [keys.forum, ...sessionIds.map((id) => keys.session(id))]);
    const forum = items.find((item) => item.pk === keys.forum.pk);
    return {
      sessions: new Map(items.filter((item) => item !== forum).map((item) => [String(item.sessionId), sessionFromItem(item)])),
      forumEndsAt: forum?.lastEndsAt ? String(forum.lastEndsAt) : undefined,
    };
  }

  async getParticipant(participantId: string): Promise<Participant | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.participant(participantId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...participant } = out.Item;
    return participant as Participant;
  }

  /** Many profiles at once (fan-out, exports); missing ids are simply absent from the map. */
  async getParticipants(participantIds: readonly string[]): Promise<Map<string, Participant>> {
    const items = await batchGet(this.client, this.tableName, [...new Set(participantIds)].map((id) => keys.participant(id)));
    return new Map(
      items.map((item) => {
        const { pk: _pk, sk: _sk, type: _type, ...participant } = item;
        return [String(item.participantId), participant as Participant];
      }),
    );
  }

  async updatePreferences(participantId: string, preferences: { language: Participant['language']; timeZone: string; remindersOff: boolean }): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.participant(participantId),
        UpdateExpression: 'SET #language = :lang, #tz = :tz, remindersOff = :off',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#language': 'language', '#tz': 'timeZone' },
        ExpressionAttributeValues: { ':lang': preferences.language, ':tz': preferences.timeZone, ':off': preferences.remindersOff },
      }),
    );
  }

  /** Suppresses a participant's address after a hard bounce or a complaint; false if it already was. */
  async suppress(participantId: string, reason: 'bounce' | 'complaint'): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.participant(participantId),
          UpdateExpression: 'SET suppressed = :yes, suppressedReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(suppressed) OR suppressed = :no)',
          ExpressionAttributeValues: { ':yes': true, ':no': false, ':reason': reason },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * Drops the personal data of a participant (name, email, organisation) and the email index entry, in
   * one transaction; keeps the anonymous profile fields that the counts use.
   */
  async anonymise(participant: Participant, at: Date): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.participant(participant.participantId),
              UpdateExpression: 'SET erasedAt = :at REMOVE #name, email, organisation',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: { ':at': at.toISOString() },
            },
          },
          { Delete: { TableName: this.tableName, Key: keys.email(participant.email) } },
        ],
      }),
    );
  }

  async stopReminders(participantId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.participant(participantId),
        UpdateExpression: 'SET remindersOff = :off',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':off': true },
      }),
    );
  }

  async findParticipantIdByEmail(email: string): Promise<string | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.email(email), ConsistentRead: true }));
    return out.Item ? String(out.Item.participantId) : undefined;
  }

  async getRegistrations(participantId: string, sessionIds: readonly string[]): Promise<Registration[]> {
    const items = await batchGet(this.client, this.tableName, sessionIds.map((id) => keys.registration(id, participantId)));
    return items.map(registrationFromItem);
  }

  async getSubmission(key: string): Promise<StoredSubmission | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.submission(key), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { answer: out.Item.answer, payloadHash: out.Item.payloadHash, expiresAt: out.Item.expiresAt } as StoredSubmission;
  }

  async reserveWaitlistPosition(sessionId: string): Promise<number> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.session(sessionId),
        UpdateExpression: 'ADD waitlistSeq :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.waitlistSeq);
  }

  async commitSubmission(plan: SubmissionPlan): Promise<void> {
    const { participant } = plan;
    // Each entry remembers what its failed condition means, to map the cancellation reason back.
    const items: Array<{ item: TransactItem; onConditionFailed: () => Error }> = [];
    const conflict = () => new ConcurrencyConflict('Participant changed concurrently');

    items.push(
      plan.isNewParticipant
        ? {
            item: {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.participant(participant.participantId), type: 'participant', ...participant, ...ttlOf(plan.personalDataExpiresAt) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            onConditionFailed: conflict,
          }
        : {
            item: {
              Update: {
                TableName: this.tableName,
                Key: keys.participant(participant.participantId),
                UpdateExpression: `SET #name = :name, #org = :org, #st = :st, #country = :country, #language = :lang, #tz = :tz${plan.personalDataExpiresAt ? ', #ttl = :ttl' : ''}`,
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: {
                  '#name': 'name',
                  '#org': 'organisation',
                  '#st': 'stakeholderType',
                  '#country': 'country',
                  '#language': 'language',
                  '#tz': 'timeZone',
                  ...(plan.personalDataExpiresAt ? { '#ttl': 'ttl' } : {}),
                },
                ExpressionAttributeValues: {
                  ...(plan.personalDataExpiresAt ? { ':ttl': ttlOf(plan.personalDataExpiresAt).ttl } : {}),
                  ':name': participant.name,
                  ':org': participant.organisation,
                  ':st': participant.stakeholderType,
                  ':country': participant.country,
                  ':lang': participant.language,
                  ':tz': participant.timeZone,
                },
              },
            },
            onConditionFailed: conflict,
          },
    );
    items.push({
      item: {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.email(participant.email), type: 'email', participantId: participant.participantId, ...ttlOf(plan.personalDataExpiresAt) },
          ConditionExpression: 'attribute_not_exists(pk) OR participantId = :pid',
          ExpressionAttributeValues: { ':pid': participant.participantId },
        },
      },
      onConditionFailed: () => new EmailClaimed(),
    });

    for (const { replaces, ...registration } of plan.registrations) {
      items.push({ item: this.sessionCounterUpdate(registration), onConditionFailed: () => new SeatUnavailable(registration.sessionId) });
      items.push({
        item: {
          Put: {
            TableName: this.tableName,
            Item: registrationItem(registration),
            ConditionExpression: replaces ? '#status = :previous' : 'attribute_not_exists(pk)',
            ...(replaces ? { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':previous': replaces } } : {}),
          },
        },
        onConditionFailed: () => new RegistrationExists(registration.sessionId),
      });
    }

    const { key, ...stored } = plan.submission;
    items.push({
      item: {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.submission(key), type: 'submission', ...stored, ttl: Math.floor(Date.parse(stored.expiresAt) / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new SubmissionExists(key),
    });
    for (const outbox of plan.outbox) {
      items.push({ item: { Put: { TableName: this.tableName, Item: outbox } }, onConditionFailed: conflict });
    }

    await transactWrite(this.client, items);
  }

  private sessionCounterUpdate(registration: Registration): TransactItem {
    const base = { TableName: this.tableName, Key: keys.session(registration.sessionId), ExpressionAttributeNames: { '#status': 'status' } };
    switch (registration.status) {
      case 'confirmed':
        // The seat is taken only while seats are left and nobody is waiting ahead of this registrant.
        return {
          Update: {
            ...base,
            ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
            UpdateExpression: 'ADD seatsTaken :one',
            ConditionExpression: '#status = :scheduled AND seatsTaken < #capacity AND waitlistCount = :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':scheduled': 'scheduled' },
          },
        };
      case 'waitlisted':
        return {
          Update: {
            ...base,
            UpdateExpression: 'ADD waitlistCount :one',
            ConditionExpression: '#status = :scheduled',
            ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
          },
        };
      default:
        return {
          Update: {
            ...base,
            UpdateExpression: 'ADD pendingCount :one',
            ConditionExpression: '#status = :scheduled',
            ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
          },
        };
    }
  }
}

/**
 * Runs a transaction and maps a cancellation to the typed error of the first item whose condition
 * failed; a TransactionConflict (another transaction touched an item) becomes ConcurrencyConflict.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  items: Array<{ item: TransactItem; onConditionFailed: () => Error }>,
): Promise<void> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items.map((entry) => entry.item) }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw items[failed]!.onConditionFailed();
      throw new ConcurrencyConflict('Transaction cancelled', { cause: error });
    }
    if (error instanceof Error && error.name === 'TransactionConflictException') {
      throw new ConcurrencyConflict('Transaction conflict', { cause: error });
    }
    throw error;
  }
}
