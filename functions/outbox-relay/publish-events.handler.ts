import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { EventBridgePublisher, eventBridgeClient } from './eventbridge-publisher.ts';
import { createLogger } from '../core/logger.ts';
import { relayOutbox, storedOutboxItem } from './relay-outbox.ts';

const config = loadConfig(z.object({ EVENT_BUS_NAME: configFields.EVENT_BUS_NAME }));
const logger = createLogger('publish-events');
const publisher = new EventBridgePublisher(eventBridgeClient, config.EVENT_BUS_NAME);

/**
 * The outbox relay: the table's stream (filtered to inserted outbox items) in, PutEvents out. A record
 * that fails is reported as a batch item failure so the stream retries from it; nothing is dropped.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const records = event.Records.map((record) => ({
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      item: storedOutboxItem.parse(unmarshall((record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>)),
    }));
    const result = await relayOutbox(publisher, records);
    logger.info('outbox relayed', { received: records.length, published: result.published, failed: Boolean(result.firstFailure) });
    return { batchItemFailures: result.firstFailure ? [{ itemIdentifier: result.firstFailure }] : [] };
  });
