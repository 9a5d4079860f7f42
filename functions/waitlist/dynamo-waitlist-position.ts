import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../core/store/keys.ts';

/**
 * Takes the next waiting-list position of a session: an atomic counter on the session item, so two
 * registrants never share a position. Fails with ConditionalCheckFailed when the session does not exist.
 */
export async function reserveWaitlistPosition(client: DynamoDBDocumentClient, tableName: string, sessionId: string): Promise<number> {
  const out = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.session(sessionId),
      UpdateExpression: 'ADD waitlistSeq :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.waitlistSeq);
}
