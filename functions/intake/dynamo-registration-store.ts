import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Registration } from '../core/model.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { batchGet, registrationFromItem, registrationItem, transactWrite, ttlOf, type TransactItem } from '../core/store/items.ts';
import { gsi1, keys } from '../core/store/keys.ts';
import { sessionFromItem } from '../core/store/session-item.ts';
import { reserveWaitlistPosition } from '../waitlist/index.ts';
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
export class DynamoRegistrationStore extends DynamoParticipants implements RegistrationStore {

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
            // expiry of the personal data follows the latest session chosen. An erased profile is not
            // taken up again (its address is free, so the submission starts a new participant).
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

