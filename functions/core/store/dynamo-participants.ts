import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Participant, Session } from '../model.ts';
import { batchGet, participantFromItem } from './items.ts';
import { keys } from './keys.ts';
import { mailBudgetKey } from './mail-budget.ts';
import { sessionFromItem } from './session-item.ts';

/**
 * The participant profiles and the sessions they register for, as every capability reads them; and the
 * few profile changes several capabilities make (preferences, reminders off, suppression, erasure).
 */
export class DynamoParticipants {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>> {
    const items = await batchGet(this.client, this.tableName, sessionIds.map((id) => keys.session(id)));
    return new Map(items.map((item) => [String(item.sessionId), sessionFromItem(item)]));
  }

  async getParticipant(participantId: string): Promise<Participant | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.participant(participantId), ConsistentRead: true }));
    return out.Item ? participantFromItem(out.Item) : undefined;
  }

  /** Many profiles at once (fan-out, exports); missing ids are simply absent from the map. */
  async getParticipants(participantIds: readonly string[]): Promise<Map<string, Participant>> {
    const items = await batchGet(this.client, this.tableName, [...new Set(participantIds)].map((id) => keys.participant(id)));
    return new Map(items.map((item) => [String(item.participantId), participantFromItem(item)]));
  }

  async findParticipantIdByEmail(email: string): Promise<string | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.email(email), ConsistentRead: true }));
    return out.Item ? String(out.Item.participantId) : undefined;
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

  async updateDetails(participantId: string, details: { name: string; organisation: string }): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.participant(participantId),
        UpdateExpression: 'SET #name = :name, organisation = :org',
        // Never on an erased profile: its name and organisation are gone for good.
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': details.name, ':org': details.organisation },
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
   * Signs out every link of a participant ("sign out all my links"): links carry the generation they were
   * signed for, and a raised generation refuses them all. False for an erased or unknown participant.
   */
  async signOutLinks(participantId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.participant(participantId),
          UpdateExpression: 'ADD linkGeneration :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * Drops the personal data of a participant (name, email, organisation), the email index entry and the
   * answers stored for its submissions (their keys hash the address), and signs out every link, in one
   * transaction; keeps the anonymous profile fields that the counts use.
   */
  async anonymise(participant: Participant, at: Date): Promise<void> {
    // A transaction holds 100 items: the profile, the address, two budget counters and up to 96 stored answers (each lives
    // 24 h, so a participant has a handful); any beyond expire by TTL within the day.
    const answers = [...(participant.submissionKeys ?? [])].slice(0, 96);
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.participant(participant.participantId),
              UpdateExpression: 'SET erasedAt = :at ADD linkGeneration :one REMOVE #name, email, organisation, submissionKeys',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
              ExpressionAttributeNames: { '#name': 'name' },
              ExpressionAttributeValues: { ':at': at.toISOString(), ':one': 1 },
            },
          },
          { Delete: { TableName: this.tableName, Key: keys.email(participant.email) } },
          ...answers.map((key) => ({ Delete: { TableName: this.tableName, Key: keys.submission(key) } })),
          // the mail budget's counters of this hour and the last (they live two hours) key on the address's hash
          ...[0, 1].map((hoursAgo) => ({ Delete: { TableName: this.tableName, Key: mailBudgetKey(participant.email, new Date(at.getTime() - hoursAgo * 3_600_000)) } })),
        ],
      }),
    );
  }
}
