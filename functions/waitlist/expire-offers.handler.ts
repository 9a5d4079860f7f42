import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { expireOffers } from './lifecycle.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoLifecycleStore } from './dynamo-lifecycle-store.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME }));
const logger = createLogger('expire-offers');
const store = new DynamoLifecycleStore(documentClient, config.TABLE_NAME);

/** The `offers` schedule: offers whose claim window ended by the scheduled time pass to the next in line. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const { time } = scheduledEvent.parse(event);
    const expired = await expireOffers({ store, clock: systemClock }, new Date(time));
    logger.info('offers expired', { time, expired });
    return { expired };
  });
