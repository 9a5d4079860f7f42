import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import type { EventContract } from '../../events/index.ts';
import { dynamoClient } from './store/dynamo-client.ts';

const envelope = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown(), time: z.string() });

/** A parsed event: which contract it matched, and its validated detail. */
export type ConsumedEvent = { detailType: string; detail: { eventId: string; occurredAt: string } & Record<string, unknown>; time: string };

/**
 * Replaces the EventBridge envelope with the contract-checked event: an event of another type or a
 * malformed detail is an error, so it ends in the dead-letter queue rather than vanishing.
 */
function parseContractMiddleware(name: string, contracts: readonly EventContract[]): middy.MiddlewareObj<EventBridgeEvent<string, unknown>> {
  const before: middy.MiddlewareFn<EventBridgeEvent<string, unknown>> = async (request) => {
    const parsed = envelope.parse(request.event);
    const contract = contracts.find((c) => c.detailType === parsed['detail-type'] && c.source === parsed.source);
    if (!contract) throw new Error(`${name} does not consume ${parsed.source}/${parsed['detail-type']}`);
    const detail = contract.schema.parse(parsed.detail) as ConsumedEvent['detail'];
    (request as { event: unknown }).event = { detailType: contract.detailType, detail, time: parsed.time } satisfies ConsumedEvent;
  };
  return { before };
}

/**
 * Wraps a domain function as an EventBridge consumer of one or more contracts: logger context, the
 * contract's schema on `detail` (an event of another type or a malformed detail is an error, so it ends in
 * the dead-letter queue rather than vanishing), and idempotency on the domain event id: a re-published
 * event gets a new envelope id but keeps `detail.eventId`. Errors escape, so retries and the DLQ apply.
 */
export function eventConsumer(options: {
  name: string;
  contracts: readonly EventContract[];
  logger: Logger;
  idempotencyTable: string;
  handle: (event: ConsumedEvent) => Promise<unknown>;
}) {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.idempotencyTable, awsSdkV3Client: dynamoClient });
  // A record lives a week: far longer than any EventBridge retry window (24 h at most).
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.eventId', expiresAfterSeconds: 7 * 24 * 3600 });
  // The makeIdempotent wrapper, not the makeHandlerIdempotent middleware: in Powertools 2.35 the
  // middleware's onError deletes the lock of a still-running invocation when it rejects a concurrent
  // duplicate (powertools-lambda-typescript#5675), and the retry then runs the side effect again. The
  // reliability suite caught it with duplicated deliveries.
  const idempotentHandle = makeIdempotent(async (event: ConsumedEvent, _context: Context) => options.handle(event), {
    persistenceStore,
    config,
    keyPrefix: options.name,
  });
  return middy<EventBridgeEvent<string, unknown>, unknown>()
    .use(injectLambdaContext(options.logger))
    .use(parseContractMiddleware(options.name, options.contracts))
    .handler(async (event, context) => idempotentHandle(event as unknown as ConsumedEvent, context));
}
