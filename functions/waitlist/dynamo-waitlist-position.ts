import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../core/store/keys.ts';

/**
 * Takes the next waiting-list position of a session: an atomic counter on an item of its own (not the
 * session item, which every registration's transaction writes: a single write there fails with
 * TransactionConflict while any of them is in flight), so two registrants never share a position. The
 * callers have read the session first.
 */
export async function reserveWaitlistPosition(client: DynamoDBDocumentClient, tableName: string, sessionId: string): Promise<number> {
  const out = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.waitlistCounter(sessionId),
      UpdateExpression: 'ADD waitlistSeq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.waitlistSeq);
}
