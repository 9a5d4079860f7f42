import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand', 'TransactGetItemsCommand']);

type Consumed = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;

/**
 * A document client that asks DynamoDB for the consumed capacity of every read and adds it up, so a
 * job can report (and a test can prove) what it costs in read units.
 */
export function meteredDocumentClient(): { client: DynamoDBDocumentClient; readUnits: () => number } {
  let units = 0;
  const base = new DynamoDBClient({});
  base.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string };
      const isRead = READS.has(String(context.commandName));
      if (isRead) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (isRead) {
        const consumed = (result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity;
        for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) units += entry.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'meterReadCapacity' },
  );
  return { client: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }), readUnits: () => units };
}
