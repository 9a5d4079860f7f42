import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyConflict } from '../errors.ts';
import type { Session, SessionInput } from '../model.ts';
import { CapacityBelowSeatsTaken, type ProgrammeStore, type UpsertResult } from '../programme/programme-store.ts';
import { gsi1, keys } from './keys.ts';
import { sessionFromItem, sessionItem } from './session-item.ts';

const ORGANISER_FIELDS = ['title', 'kind', 'startsAt', 'endsAt', 'capacity', 'restricted', 'joinUrl', 'description', 'claimWindowHours'] as const;

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class DynamoProgrammeStore implements ProgrammeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listSessions(): Promise<Session[]> {
    const sessions: Session[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi1.programme.gsi1pk },
          ExclusiveStartKey: startKey,
        }),
      );
      sessions.push(...(out.Items ?? []).map(sessionFromItem));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return sessions;
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.session(sessionId), ConsistentRead: true }));
    return out.Item ? sessionFromItem(out.Item) : undefined;
  }

  async upsertSession(input: SessionInput): Promise<UpsertResult> {
    const existing = await this.getSession(input.sessionId);
    if (!existing) {
      const session: Session = { ...input, status: 'scheduled', version: 1, seatsTaken: 0, waitlistCount: 0, pendingCount: 0, waitlistSeq: 0 };
      try {
        await this.client.send(new PutCommand({ TableName: this.tableName, Item: sessionItem(session), ConditionExpression: 'attribute_not_exists(pk)' }));
        return 'created';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new ConcurrencyConflict('Session created concurrently', { cause: error });
        throw error;
      }
    }
    const changed = ORGANISER_FIELDS.filter((field) => !sameValue(existing[field], input[field]));
    if (changed.length === 0) return 'unchanged';
    if (input.capacity < existing.seatsTaken) throw new CapacityBelowSeatsTaken(input.sessionId, existing.seatsTaken);

    const names: Record<string, string> = { '#version': 'version', '#seats': 'seatsTaken' };
    const values: Record<string, unknown> = { ':expected': existing.version, ':one': 1, ':capacity': input.capacity };
    const sets: string[] = ['#version = #version + :one'];
    const removes: string[] = [];
    for (const field of changed) {
      names[`#${field}`] = field;
      if (input[field] === undefined) removes.push(`#${field}`);
      else {
        sets.push(`#${field} = :${field}`);
        values[`:${field}`] = input[field];
      }
    }
    if (changed.includes('startsAt')) {
      names['#gsi1sk'] = 'gsi1sk';
      sets.push('#gsi1sk = :gsi1sk');
      values[':gsi1sk'] = gsi1.sessionSortKey(input.startsAt, input.sessionId);
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(input.sessionId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          // Optimistic lock on the version, and never below the seats already taken.
          ConditionExpression: '#version = :expected AND #seats <= :capacity',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrencyConflict('Session changed concurrently', { cause: error });
      throw error;
    }
    return 'updated';
  }
}
