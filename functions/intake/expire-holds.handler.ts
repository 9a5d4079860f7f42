import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { businessMetrics, publishCounts } from '../core/metrics.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoRegistrationStore } from './dynamo-registration-store.ts';
import { expireHolds } from './holds.ts';

const config = configOf('TABLE_NAME');
const logger = createLogger('expire-holds');
const store = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const metrics = businessMetrics('expire-holds');

/** The `holds` schedule: places held for addresses that did not confirm by the scheduled time are released. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const { time } = scheduledEvent.parse(event);
    const released = await expireHolds({ store, clock: systemClock }, new Date(time));
    logger.info('holds expired', { time, released });
    publishCounts(metrics, { HoldsExpired: released });
    return { released };
  });
