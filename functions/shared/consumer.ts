import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes/eventbridge';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { EventContract } from '../../events/index.ts';
import { dynamoClient } from './store/dynamo-client.ts';

/**
 * Wraps a domain function as an EventBridge consumer: logger context, the contract's schema on `detail`,
 * and idempotency on the domain event id (a re-published event gets a new envelope id but keeps
 * `detail.eventId`). Errors escape, so the target's retry policy and dead-letter queue apply.
 */
export function eventConsumer<S extends z.ZodType>(options: {
  name: string;
  contract: EventContract<S>;
  logger: Logger;
  idempotencyTable: string;
  handle: (detail: z.infer<S>) => Promise<unknown>;
}) {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: options.idempotencyTable, awsSdkV3Client: dynamoClient });
  // A record lives a week: far longer than any EventBridge retry window (24 h at most).
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'eventId', expiresAfterSeconds: 7 * 24 * 3600 });
  return middy<EventBridgeEvent<string, unknown>, unknown>()
    .use(injectLambdaContext(options.logger))
    .use(parser({ schema: options.contract.schema, envelope: EventBridgeEnvelope }))
    .use(makeHandlerIdempotent({ persistenceStore, config, keyPrefix: options.name }))
    .handler(async (detail) => options.handle(detail as z.infer<S>));
}
