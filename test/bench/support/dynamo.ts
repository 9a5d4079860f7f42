import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/settings.ts';
import { keys } from '../../../functions/core/store/keys.ts';
import { TABLE_NAME, urls } from './config.ts';
import { pool, sleep } from './stats.ts';

/**
 * A document client straight to DynamoDB Local (port 8300), with the marshalling options of Convene's own
 * client (functions/core/store/dynamo-client.ts) so both write the same attributes.
 */
export function benchDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: urls.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Writes items 25 at a time (BatchWriteItem), `concurrency` batches at once, retrying unprocessed items. */
export async function batchWriteAll(client: DynamoDBDocumentClient, items: ReadonlyArray<Record<string, unknown>>, concurrency = 6): Promise<void> {
  const batches = Math.ceil(items.length / 25);
  await pool(batches, concurrency, async (index) => {
    let pending: Record<string, unknown>[] | undefined = items.slice(index * 25, index * 25 + 25);
    for (let round = 0; pending && pending.length > 0; round++) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE_NAME]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
      pending = out.UnprocessedItems?.[TABLE_NAME]?.map((request) => request.PutRequest?.Item ?? {}) as Record<string, unknown>[] | undefined;
      if (pending?.length) await sleep(Math.min(1000, 25 * 2 ** round));
    }
  });
}

/** Adds to a session's seat counter, as seeding registrants directly must (the digest shows fill). */
export async function addSeatsTaken(client: DynamoDBDocumentClient, sessionId: string, count: number): Promise<void> {
  await client.send(new UpdateCommand({ TableName: TABLE_NAME, Key: keys.session(sessionId), UpdateExpression: 'ADD seatsTaken :n', ExpressionAttributeValues: { ':n': count } }));
}
