import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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
 * Wraps a domain function as the consumer of an event queue (EventBridge → SQS → Lambda) for one or more
 * contracts: logger context; each record's body is the EventBridge envelope, checked against the
 * contracts' schemas (an event of another type or a malformed detail fails its record, so it is received
 * again and ends in the dead-letter queue rather than vanishing); given an idempotency table, idempotency
 * on the domain event id: a re-published or re-delivered event gets a new envelope id but keeps
 * `detail.eventId`. Consumers that are idempotent by construction (conditional writes) pass none.
 * Records are processed concurrently and fail one by one (Powertools partial batch responses): only the
 * failed ones are received again. `handle` receives the contracts' inferred types: a switch on
 * `detailType` narrows `detail`.
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
    // A record outlives every way an event comes again: the queue's 12 receives, EventBridge's 24 h of
    // retries, and a replay from the bus archive (30 days), so a replay never mails twice.
    const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.eventId', expiresAfterSeconds: 35 * 24 * 3600 });
    // The makeIdempotent wrapper, not the makeHandlerIdempotent middleware: in Powertools 2.35 the
    // middleware's onError deletes the lock of a still-running invocation when it rejects a concurrent
    // duplicate (powertools-lambda-typescript#5675), and the retry then runs the side effect again. The
    // reliability suite caught it with duplicated deliveries.
    handle = makeIdempotent(handle, { persistenceStore, config, keyPrefix: options.name });
  }
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(options.logger))
    .handler(async (event, context) => {
      const record = async (message: SQSRecord) => {
        const envelope: unknown = JSON.parse(message.body);
        try {
          return await handle(parseContractEvent<Cs[number]>(options.name, options.contracts, envelope), context);
        } catch (error) {
          // The record is received again; the log says which one and why, without its personal data.
          options.logger.warn('record failed', { messageId: message.messageId, receiveCount: message.attributes.ApproximateReceiveCount, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
          throw error;
        }
      };
      // A processor per invocation: it keeps the batch's failures in its own fields, and invocations that
      // overlap in one process (the local runtime) must not share them. A batch whose every record failed
      // is answered in full too: the queue receives each again the same way.
      return processPartialResponse(event, record, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
    });
}
