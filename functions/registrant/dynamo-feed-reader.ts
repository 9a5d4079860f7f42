import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storedRegistration, type Participant, type Session } from '../core/model.ts';
import { batchGet, participantFromItem } from '../core/store/items.ts';
import { gsi1, keys } from '../core/store/keys.ts';
import { queryAll } from '../core/store/query.ts';
import { sessionFromItem } from '../core/store/session-item.ts';
import type { FeedReader } from './calendar-feed.ts';

/**
 * A feed request's reads: the participant's registrations from GSI1 (one query; the index may lag a
 * write by a moment, which a calendar polling hourly never notices), then the profile and those sessions
 * in one BatchGetItem.
 */
export class DynamoFeedReader implements FeedReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async feedOf(participantId: string) {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :reg)',
      ExpressionAttributeValues: { ':pk': gsi1.participantRegistrations(participantId), ':reg': 'REG#' },
    });
    const registrations = items.map((item) => storedRegistration.parse(item));
    const sessionIds = [...new Set(registrations.filter((r) => r.status === 'confirmed').map((r) => r.sessionId))];
    const read = await batchGet(this.client, this.tableName, [keys.participant(participantId), ...sessionIds.map((id) => keys.session(id))]);
    let participant: Participant | undefined;
    const sessions = new Map<string, Session>();
    for (const item of read) {
      if (item.sk === 'PROFILE') participant = participantFromItem(item);
      else {
        const session = sessionFromItem(item);
        sessions.set(session.sessionId, session);
      }
    }
    return { ...(participant ? { participant } : {}), registrations, sessions };
  }
}
