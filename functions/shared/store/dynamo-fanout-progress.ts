import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FanOutProgress } from '../fanout/fan-out.ts';
import { keys } from './keys.ts';

/** Progress records outlive any resume by far; they name participants only by id. */
const PROGRESS_TTL_DAYS = 180;

/**
 * Fan-out progress, one item per SendBulkEmail call in the session's partition:
 * `SESSION#<id>` / `FANOUT#<jobKey>#<first participant>` listing the participants the call reached.
 * A 10,000-recipient notice writes 200 items instead of 10,000 updates, and resuming reads them with
 * one Query. The sort key is deterministic (a reached participant is never in a later call of the same
 * job), so writing the same call's progress twice is harmless.
 */
export class DynamoFanOutProgress implements FanOutProgress {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markSent(jobKey: string, recipients: ReadonlyArray<{ sessionId: string; participantId: string }>, at: Date): Promise<void> {
    const bySession = new Map<string, string[]>();
    for (const { sessionId, participantId } of recipients) bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), participantId]);
    await Promise.all(
      [...bySession].map(([sessionId, participantIds]) =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: keys.session(sessionId).pk,
              sk: `${progressPrefix(jobKey)}${participantIds[0]}`,
              type: 'fanout-progress',
              jobKey,
              participantIds,
              sentAt: at.toISOString(),
              ttl: Math.floor(at.getTime() / 1000) + PROGRESS_TTL_DAYS * 86_400,
            },
          }),
        ),
      ),
    );
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

const progressPrefix = (jobKey: string) => `FANOUT#${jobKey}#`;
