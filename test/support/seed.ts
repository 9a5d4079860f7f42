import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { keys } from '../../functions/core/store/keys.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/settings.ts';
import { confirmedRegistrantItems } from './registrants.ts';

const TABLE = 'convene';

export function testDocumentClient() {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamodbUrl'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
}

/**
 * Writes `count` confirmed registrants of a session straight into the local table (confirmedRegistrantItems)
 * and sets the session's seat counter to match.
 */
export async function seedConfirmedRegistrants(sessionId: string, count: number, registeredAt = new Date(Date.now() - 86_400_000)) {
  const client = testDocumentClient();
  const { participants, items } = confirmedRegistrantItems(sessionId, count, { registeredAt, emailPrefix: 'seed' });
  for (let start = 0; start < items.length; start += 25) {
    let pending: Record<string, unknown>[] | undefined = items.slice(start, start + 25);
    // Unprocessed items (throttling) are retried after a short growing pause, a bounded number of times.
    for (let attempt = 1; pending && pending.length; attempt++) {
      if (attempt > 10) throw new Error(`seeding ${sessionId}: ${pending.length} items still unprocessed after 10 BatchWrite calls`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** (attempt - 2))));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
      pending = out.UnprocessedItems?.[TABLE]?.map((request) => request.PutRequest!.Item!) as Record<string, unknown>[] | undefined;
    }
  }
  await client.send(
    new UpdateCommand({ TableName: TABLE, Key: keys.session(sessionId), UpdateExpression: 'ADD seatsTaken :n', ExpressionAttributeValues: { ':n': count } }),
  );
  return participants;
}
