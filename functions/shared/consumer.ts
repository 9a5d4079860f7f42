import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import type { EventContract } from '../../events/index.ts';
import { dynamoClient } from './store/dynamo-client.ts';

const envelope = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown(), time: z.string() });

/** A parsed event: which contract it matched, and its validated detail. */
export type ConsumedEvent = { detailType: string; detail: { eventId: string } & Record<string, unknown>; time: string };

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
  return middy<EventBridgeEvent<string, unknown>, unknown>()
    .use(injectLambdaContext(options.logger))
    .use({
      before: async (request) => {
        const parsed = envelope.parse(request.event);
        const contract = options.contracts.find((c) => c.detailType === parsed['detail-type'] && c.source === parsed.source);
        if (!contract) throw new Error(`${options.name} does not consume ${parsed.source}/${parsed['detail-type']}`);
        const detail = contract.schema.parse(parsed.detail) as ConsumedEvent['detail'];
        (request as { event: unknown }).event = { detailType: contract.detailType, detail, time: parsed.time } satisfies ConsumedEvent;
      },
    })
    .use(makeHandlerIdempotent({ persistenceStore, config, keyPrefix: options.name }))
    .handler(async (event) => options.handle(event as unknown as ConsumedEvent));
}
