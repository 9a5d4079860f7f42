import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dueItems } from '../core/store/query.ts';
import { HELD_COUNTER, PLACE_COUNTER, type Registration } from '../core/model.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import type { OutboxItem } from '../core/outbox.ts';
import { HOLDS_PK, batchGet, registrationFromItem, registrationItem, transactWrite, ttlOf, type TransactItem } from '../core/store/items.ts';
import { keys } from '../core/store/keys.ts';
import { sessionFromItem } from '../core/store/session-item.ts';
import { DynamoLifecycleStore, reserveWaitlistPosition } from '../waitlist/index.ts';
import { HoldChanged, type ConfirmationPlan, type HoldStore } from './holds.ts';
import {
  EmailClaimed,
  RegistrationExists,
  SeatUnavailable,
  SubmissionExists,
  storedSubmission,
  type RegistrationStore,
  type StoredSubmission,
  type SubmissionPlan,
} from './registration-store.ts';

/** The submission side of the table: stored answers, registrations and the transaction that takes seats. */
export class DynamoRegistrationStore extends DynamoParticipants implements RegistrationStore, HoldStore {
  private readonly lifecycle: DynamoLifecycleStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
    this.lifecycle = new DynamoLifecycleStore(client, tableName);
  }

  listParticipantRegistrations(participantId: string): Promise<Registration[]> {
    return this.lifecycle.listParticipantRegistrations(participantId);
  }

  getRegistration(sessionId: string, participantId: string): Promise<Registration | undefined> {
    return this.lifecycle.getRegistration(sessionId, participantId);
  }

  async dueHolds(now: Date, limit: number): Promise<Registration[]> {
    return (await dueItems(this.client, this.tableName, { pk: HOLDS_PK, now, limit })).map(registrationFromItem);
  }


  /** The hold's registration leaves `held` only if it is still the hold that was read (same expiry, still held). */
  private leaveHold(hold: Registration, to: Registration['status'], now: Date): { item: TransactItem; onConditionFailed: () => Error } {
    const waitlisted = to === 'waitlisted' && hold.waitlistPosition;
    return {
      item: {
        Update: {
          TableName: this.tableName,
          Key: keys.registration(hold.sessionId, hold.participantId),
          UpdateExpression: `SET #status = :to, updatedAt = :now${waitlisted ? ', gsi2pk = :g2pk, gsi2sk = :g2sk' : ''} REMOVE heldAs, holdExpiresAt, holdIds, dataTtl, gsi3pk, gsi3sk`,
          ConditionExpression: '#status = :held AND holdExpiresAt = :expires',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to, ':now': now.toISOString(), ':held': 'held', ':expires': hold.holdExpiresAt,
            ...(waitlisted ? { ':g2pk': `WAITLIST#${hold.sessionId}`, ':g2sk': String(hold.waitlistPosition).padStart(10, '0') } : {}),
          },
        },
      },
      onConditionFailed: () => new HoldChanged(hold.sessionId),
    };
  }

  private sessionAdd(sessionId: string, deltas: Record<string, number>): { item: TransactItem; onConditionFailed: () => Error } {
    const names = Object.keys(deltas);
    return {
      item: {
        Update: {
          TableName: this.tableName,
          Key: keys.session(sessionId),
          UpdateExpression: `ADD ${names.map((name) => `${name} :${name}`).join(', ')}`,
          ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, deltas[name]])),
        },
      },
      onConditionFailed: () => new ConcurrencyConflict('session counter'),
    };
  }

  async commitConfirmation(plan: ConfirmationPlan): Promise<void> {
    const { participant, now } = plan;
    const ttl = plan.dataTtl ? { ':ttl': plan.dataTtl } : {};
    const items: Array<{ item: TransactItem; onConditionFailed: () => Error }> = [
      {
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.participant(participant.participantId),
            UpdateExpression: `SET addressConfirmedAt = if_not_exists(addressConfirmedAt, :now)${plan.dataTtl ? ', #ttl = :ttl' : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
            ...(plan.dataTtl ? { ExpressionAttributeNames: { '#ttl': 'ttl' } } : {}),
            ExpressionAttributeValues: { ':now': now.toISOString(), ...ttl },
          },
        },
        onConditionFailed: () => new ConcurrencyConflict('participant erased or gone'),
      },
      ...(plan.dataTtl
        ? [{
            item: {
              Update: {
                TableName: this.tableName,
                Key: keys.email(participant.email),
                UpdateExpression: 'SET #ttl = :ttl',
                ConditionExpression: 'participantId = :pid',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':pid': participant.participantId, ...ttl },
              },
            },
            onConditionFailed: () => new ConcurrencyConflict('address index changed'),
          }]
        : []),
    ];
    for (const hold of plan.holds) {
      items.push(this.leaveHold(hold, hold.heldAs!, now));
      items.push(this.sessionAdd(hold.sessionId, { [HELD_COUNTER[hold.heldAs!]]: -1 }));
    }
    for (const outbox of plan.outbox) items.push({ item: { Put: { TableName: this.tableName, Item: outbox } }, onConditionFailed: () => new Error('outbox write failed') });
    await transactWrite(this.client, items);
  }

  async releaseHold(hold: Registration, outbox: OutboxItem[], now: Date): Promise<void> {
    await transactWrite(this.client, [
      this.leaveHold(hold, 'expired', now),
      this.sessionAdd(hold.sessionId, { [PLACE_COUNTER[hold.heldAs!]]: -1, [HELD_COUNTER[hold.heldAs!]]: -1 }),
      ...outbox.map((item) => ({ item: { Put: { TableName: this.tableName, Item: item } }, onConditionFailed: () => new Error('outbox write failed') })),
    ]);
  }

  async getSessionsAndForumEnd(sessionIds: readonly string[]) {
    const items = await batchGet(this.client, this.tableName, [keys.forum, ...sessionIds.map((id) => keys.session(id))]);
    const forum = items.find((item) => item.pk === keys.forum.pk);
    return {
      sessions: new Map(items.filter((item) => item !== forum).map((item) => [String(item.sessionId), sessionFromItem(item)])),
      forumEndsAt: forum?.lastEndsAt ? String(forum.lastEndsAt) : undefined,
    };
  }

  async getRegistrations(participantId: string, sessionIds: readonly string[]): Promise<Registration[]> {
    const items = await batchGet(this.client, this.tableName, sessionIds.map((id) => keys.registration(id, participantId)));
    return items.map(registrationFromItem);
  }

  async getSubmission(key: string): Promise<StoredSubmission | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.submission(key), ConsistentRead: true }));
    return out.Item ? storedSubmission.parse(out.Item) : undefined;
  }

  reserveWaitlistPosition(sessionId: string): Promise<number> {
    return reserveWaitlistPosition(this.client, this.tableName, sessionId);
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
                Item: { ...keys.participant(participant.participantId), type: 'participant', ...participant, submissionKeys: new Set([plan.submission.key]), ...ttlOf(plan.personalDataExpiresAt) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            onConditionFailed: conflict,
          }
        : {
            // The public form never changes an existing profile (the submitter may not own the address):
            // name, organisation, language and time zone change only through the manage link. Only the
            // expiry of the personal data follows the latest session chosen (with address confirmation, it
            // is left alone until a confirmation extends it). An erased profile is not taken up again (its
            // address is free, so the submission starts a new participant).
            item: {
              Update: {
                TableName: this.tableName,
                Key: keys.participant(participant.participantId),
                UpdateExpression: `ADD submissionKeys :key${plan.personalDataExpiresAt ? ' SET #ttl = :ttl' : ''}`,
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
                ...(plan.personalDataExpiresAt ? { ExpressionAttributeNames: { '#ttl': 'ttl' } } : {}),
                ExpressionAttributeValues: { ':key': new Set([plan.submission.key]), ...(plan.personalDataExpiresAt ? { ':ttl': ttlOf(plan.personalDataExpiresAt).ttl } : {}) },
              },
            },
            onConditionFailed: conflict,
          },
    );
    // An update, not a put: without a new expiry, the address's index entry keeps the one it has.
    items.push({
      item: {
        Update: {
          TableName: this.tableName,
          Key: keys.email(participant.email),
          UpdateExpression: `SET #type = :type, participantId = :pid${plan.personalDataExpiresAt ? ', #ttl = :ttl' : ''}`,
          ConditionExpression: 'attribute_not_exists(pk) OR participantId = :pid',
          ExpressionAttributeNames: { '#type': 'type', ...(plan.personalDataExpiresAt ? { '#ttl': 'ttl' } : {}) },
          ExpressionAttributeValues: { ':type': 'email', ':pid': participant.participantId, ...(plan.personalDataExpiresAt ? { ':ttl': ttlOf(plan.personalDataExpiresAt).ttl } : {}) },
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

    for (const { sessionId, holdId } of plan.addToHolds) {
      items.push({
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.registration(sessionId, participant.participantId),
            UpdateExpression: 'ADD holdIds :hold',
            ConditionExpression: '#status = :held',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':hold': new Set([holdId]), ':held': 'held' },
          },
        },
        onConditionFailed: () => new RegistrationExists(sessionId),
      });
    }

    const { key, supersedes, ...stored } = plan.submission;
    items.push({
      item: {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.submission(key), type: 'submission', ...stored, ttl: Math.floor(Date.parse(stored.expiresAt) / 1000) },
          // A new answer, or the replacement of exactly the stale one the submission read.
          ...(supersedes === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: supersedes === 0 ? 'attribute_not_exists(#v) OR #v = :v' : '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': supersedes } }),
        },
      },
      onConditionFailed: () => new SubmissionExists(key),
    });
    for (const outbox of plan.outbox) {
      items.push({ item: { Put: { TableName: this.tableName, Item: outbox } }, onConditionFailed: conflict });
    }

    await transactWrite(this.client, items);
  }

  /** The session's counters for a new registration; a held one counts as what it is held as. */
  private sessionCounterUpdate(registration: Registration): TransactItem {
    const base = { TableName: this.tableName, Key: keys.session(registration.sessionId), ExpressionAttributeNames: { '#status': 'status' } };
    switch (registration.heldAs ?? registration.status) {
      case 'confirmed':
        // The seat is taken only while seats are left and nobody is waiting ahead of this registrant. A held
        // seat is counted in seatsTaken (nobody else gets it) and in seatsHeld (not confirmed yet).
        return {
          Update: {
            ...base,
            ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
            UpdateExpression: registration.status === 'held' ? 'ADD seatsTaken :one, seatsHeld :one' : 'ADD seatsTaken :one',
            // Held waiting-list places (addresses not confirmed) never keep a seat from a newcomer.
            ConditionExpression: '#status = :scheduled AND seatsTaken < #capacity AND (waitlistCount = :zero OR waitlistCount = waitlistHeld)',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':scheduled': 'scheduled' },
          },
        };
      case 'waitlisted':
        return {
          Update: {
            ...base,
            UpdateExpression: registration.status === 'held' ? 'ADD waitlistCount :one, waitlistHeld :one' : 'ADD waitlistCount :one',
            ConditionExpression: '#status = :scheduled',
            ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
          },
        };
      default:
        return {
          Update: {
            ...base,
            UpdateExpression: registration.status === 'held' ? 'ADD pendingCount :one, pendingHeld :one' : 'ADD pendingCount :one',
            ConditionExpression: '#status = :scheduled',
            ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
          },
        };
    }
  }
}

