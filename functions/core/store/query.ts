import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** A Query page by page, following LastEvaluatedKey; empty pages are skipped. */
export async function* queryPages(client: DynamoDBDocumentClient, tableName: string, input: QueryInput): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }));
    if (out.Items?.length) yield out.Items;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** Every item a Query matches, all pages. */
export async function queryAll(client: DynamoDBDocumentClient, tableName: string, input: QueryInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(client, tableName, input)) items.push(...page);
  return items;
}

/**
 * Items of a sparse index partition sorted by an ISO instant (`<instant>#…`) that fell due at or before
 * `now`, oldest first, at most `limit`: the offers and holds whose time ran out (gsi3).
 */
export async function dueItems(client: DynamoDBDocumentClient, tableName: string, input: { pk: string; now: Date; limit: number }): Promise<Record<string, unknown>[]> {
  const out = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :now',
      ExpressionAttributeValues: { ':pk': input.pk, ':now': `${input.now.toISOString()}~` },
      Limit: input.limit,
    }),
  );
  return out.Items ?? [];
}
