import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import type { ConsumedEventOf, EventContract } from '../../events/index.ts';
import { dynamoClient } from './store/dynamo-client.ts';

const envelope = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown(), time: z.string() });

/** A parsed event of one of these contracts: a union discriminated by `detailType`, its detail typed by its contract. */
export type ConsumedEvent<C extends EventContract = EventContract> = ConsumedEventOf<C>;

/**
 * Replaces the EventBridge envelope with the contract-checked event: an event of another type or a
 * malformed detail is an error, so it ends in the dead-letter queue rather than vanishing.
 */
export function parseContractEvent<C extends EventContract>(name: string, contracts: readonly C[], event: unknown): ConsumedEvent<C> {
  const parsed = envelope.parse(event);
  const contract = contracts.find((c) => c.detailType === parsed['detail-type'] && c.source === parsed.source);
  if (!contract) throw new Error(`${name} does not consume ${parsed.source}/${parsed['detail-type']}`);
  // The one assertion: TypeScript cannot follow `find` on a generic union; `consume` is that contract's own.
  return contract.consume(parsed) as ConsumedEvent<C>;
}

/**
 * Wraps a domain function as an EventBridge consumer of one or more contracts: logger context, the
 * contract's schema on `detail` (an event of another type or a malformed detail is an error, so it ends in
 * the dead-letter queue rather than vanishing), and, given an idempotency table, idempotency on the domain
 * event id: a re-published event gets a new envelope id but keeps `detail.eventId`. Consumers that are
 * idempotent by construction (conditional writes) pass none. Errors escape, so retries and the DLQ apply.
 * `handle` receives the contracts' inferred types: a switch on `detailType` narrows `detail`.
 */
export function eventConsumer<const Cs extends readonly EventContract[]>(options: {
  name: string;
  contracts: Cs;
  logger: Logger;
  idempotencyTable?: string;
  handle: (event: ConsumedEvent<Cs[number]>) => Promise<unknown>;
}) {
  type Event = ConsumedEvent<Cs[number]>;
  let handle = async (event: Event, _context: Context): Promise<unknown> => options.handle(event);
  if (options.idempotencyTable) {
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.idempotencyTable, awsSdkV3Client: dynamoClient });
    // A record lives a week: far longer than any EventBridge retry window (24 h at most).
    const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.eventId', expiresAfterSeconds: 7 * 24 * 3600 });
    // The makeIdempotent wrapper, not the makeHandlerIdempotent middleware: in Powertools 2.35 the
    // middleware's onError deletes the lock of a still-running invocation when it rejects a concurrent
    // duplicate (powertools-lambda-typescript#5675), and the retry then runs the side effect again. The
    // reliability suite caught it with duplicated deliveries.
    handle = makeIdempotent(handle, { persistenceStore, config, keyPrefix: options.name });
  }
  return middy<EventBridgeEvent<string, unknown>, unknown>()
    .use(injectLambdaContext(options.logger))
    .handler(async (event, context) => handle(parseContractEvent<Cs[number]>(options.name, options.contracts, event), context));
}
