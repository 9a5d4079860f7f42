import type { Server } from 'node:http';
import { tables } from '../topology.ts';
import { localTableNames } from './dynamodb-local.ts';
import { forward, readBody, sendJson, serve } from './http-server.ts';

/** Twice DynamoDB's own request limit (16 MB): DynamoDB Local, not the front, refuses what DynamoDB would. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** Requests forwarded to DynamoDB Local at once. */
const UPSTREAM_CONCURRENCY = 8;
const AWS_JSON = { 'content-type': 'application/x-amz-json-1.0' };
const TYPE_PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/** What the front does besides forwarding, and what it counted; the runtime's fault settings change the shares. */
export type DynamoDbFrontState = {
  /** Share of calls answered with ProvisionedThroughputExceededException, as a busy table would. */
  throttleShare: number;
  /** Share of writes answered as if they had met an in-flight transaction (TransactionConflict). */
  conflictShare: number;
  throttles: number;
  /** Writes refused because an in-flight transaction held one of their items (the model, not injected). */
  conflicts: number;
  injectedConflicts: number;
};

export const newDynamoDbFrontState = (): DynamoDbFrontState => ({ throttleShare: 0, conflictShare: 0, throttles: 0, conflicts: 0, injectedConflicts: 0 });

type AttributeMap = Record<string, unknown>;
type TransactAction = { Put?: { TableName: string; Item: AttributeMap }; Update?: { TableName: string; Key: AttributeMap }; Delete?: { TableName: string; Key: AttributeMap }; ConditionCheck?: { TableName: string; Key: AttributeMap } };

const keySchemas = new Map<string, string[]>(
  (Object.keys(tables) as Array<keyof typeof tables>).map((name) => {
    const spec = tables[name] as { partitionKey: string; sortKey?: string };
    return [localTableNames[name], [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]];
  }),
);

/** One item's identity: table and primary key attributes, in the key schema's order. */
function itemKey(table: string, attributes: AttributeMap): string {
  const keys = keySchemas.get(table) ?? Object.keys(attributes).sort();
  return `${table}\u0000${keys.map((k) => JSON.stringify(attributes[k] ?? null)).join('\u0000')}`;
}

function transactKeys(actions: readonly TransactAction[]): string[] {
  return actions.map((action) => {
    const write = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
    if (!write) return '';
    return itemKey(write.TableName, action.Put ? action.Put.Item : (write as { Key: AttributeMap }).Key);
  });
}

/** The items a TransactWriteItems (each of its actions) or a single write touches; none for anything else or a malformed body. */
function writtenKeys(operation: string, body: Buffer): string[] {
  if (operation !== 'TransactWriteItems' && !SINGLE_WRITES.has(operation)) return [];
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { TransactItems?: TransactAction[]; TableName?: string; Item?: AttributeMap; Key?: AttributeMap };
    if (operation === 'TransactWriteItems') return Array.isArray(parsed.TransactItems) ? transactKeys(parsed.TransactItems) : [];
    const key = singleWriteKey(operation, parsed);
    return key === undefined ? [] : [key];
  } catch {
    return [];
  }
}

/** The operations that write one item, and so meet a transaction's items; reads are not parsed. */
const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The item a single write (PutItem, UpdateItem, DeleteItem) targets. */
function singleWriteKey(operation: string, body: { TableName?: string; Item?: AttributeMap; Key?: AttributeMap }): string | undefined {
  if (!body.TableName) return undefined;
  if (operation === 'PutItem' && body.Item) return itemKey(body.TableName, body.Item);
  if ((operation === 'UpdateItem' || operation === 'DeleteItem') && body.Key) return itemKey(body.TableName, body.Key);
  return undefined;
}

/**
 * The front of DynamoDB Local that the handlers reach (AWS_ENDPOINT_URL_DYNAMODB). DynamoDB Local runs
 * requests one after the other and never reports a transaction conflict; DynamoDB does, and the SDK does not
 * retry it. The front keeps the items of every TransactWriteItems call while it is in flight and refuses,
 * as DynamoDB's transaction conflict handling documents:
 * - a PutItem, UpdateItem or DeleteItem on one of them: 400 TransactionConflictException;
 * - a TransactWriteItems that includes one of them: 400 TransactionCanceledException whose
 *   CancellationReasons say TransactionConflict for that item and None for the others.
 * With faults set it also answers a share of calls with ProvisionedThroughputExceededException and a share
 * of writes as if they had met a transaction. (BatchWriteItem and TransactGetItems are forwarded as they are.)
 */
export function startDynamoDbFront(port: number, upstreamPort: number, state: DynamoDbFrontState): Promise<Server> {
  /** Items of in-flight transactions, with how many transactions hold each (normally one). */
  const held = new Map<string, number>();
  const hold = (keys: readonly string[]) => {
    for (const key of keys) held.set(key, (held.get(key) ?? 0) + 1);
    return () => {
      for (const key of keys) {
        const count = (held.get(key) ?? 1) - 1;
        if (count <= 0) held.delete(key);
        else held.set(key, count);
      }
    };
  };
  // DynamoDB Local works through a few requests at once; the rest wait here, before they hold anything.
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const enter = async (): Promise<() => void> => {
    if (inFlight >= UPSTREAM_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
    else inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = waiting.shift();
      if (next) next();
      else inFlight--;
    };
  };
  const refuse = (response: Parameters<Parameters<typeof serve>[1]>[1], type: string, message: string, extra: Record<string, unknown> = {}) =>
    sendJson(response, 400, { __type: `${TYPE_PREFIX}${type}`, message, ...extra }, AWS_JSON);

  return serve(
    port,
    async (request, response) => {
      const body = await readBody(request, MAX_REQUEST_BYTES);
      if (state.throttleShare > 0 && Math.random() < state.throttleShare) {
        state.throttles++;
        refuse(response, 'ProvisionedThroughputExceededException', 'Injected throttling');
        return;
      }
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      // The items a write touches, read before it is in flight; a body DynamoDB would refuse touches none,
      // and DynamoDB Local answers it with its own validation error.
      const keys = writtenKeys(operation, body);
      // A request is in flight at DynamoDB from here: waiting for DynamoDB Local's attention first keeps the
      // queueing out of the window in which a transaction holds its items (DynamoDB's own is milliseconds).
      const leave = await enter();
      let release: (() => void) | undefined;
      try {
        if (operation === 'TransactWriteItems' && keys.length > 0) {
          const injected = state.conflictShare > 0 && Math.random() < state.conflictShare ? Math.floor(Math.random() * keys.length) : -1;
          const conflicting = keys.map((key, index) => index === injected || (key !== '' && held.has(key)));
          if (conflicting.some(Boolean)) {
            if (injected >= 0) state.injectedConflicts++;
            else state.conflicts++;
            const reasons = conflicting.map((conflict) => (conflict ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
            refuse(response, 'TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, { CancellationReasons: reasons });
            return;
          }
          release = hold(keys.filter(Boolean));
        } else if (keys.length === 1) {
          const injected = state.conflictShare > 0 && Math.random() < state.conflictShare;
          if (injected || held.has(keys[0]!)) {
            if (injected) state.injectedConflicts++;
            else state.conflicts++;
            refuse(response, 'TransactionConflictException', 'Transaction is ongoing for the item');
            return;
          }
        }
        const upstream = await forward(upstreamPort, { method: request.method ?? 'POST', path: request.url ?? '/', headers: request.headers, body }).catch((error: unknown) => {
          sendJson(response, 502, { message: error instanceof Error ? error.message : String(error) });
          return undefined;
        });
        if (!upstream) return;
        response.writeHead(upstream.status, upstream.headers);
        response.end(upstream.body);
      } finally {
        release?.();
        leave();
      }
    },
    { name: 'dynamodb-front', keepAliveTimeoutMs: 60_000 },
  );
}
