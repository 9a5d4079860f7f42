import * as z from 'zod';
import { SessionSeatsReleased } from '../../events/index.ts';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { promoteWaitlist } from './lifecycle.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoLifecycleStore } from './dynamo-lifecycle-store.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    IDEMPOTENCY_TABLE_NAME: configFields.IDEMPOTENCY_TABLE_NAME,
    OFFER_CLAIM_HOURS: configFields.OFFER_CLAIM_HOURS,
  }),
);
const logger = createLogger('promote-waitlist');
const store = new DynamoLifecycleStore(documentClient, config.TABLE_NAME);

/** Session.SeatsReleased → offers (or seats) to the waiting list in position order. */
export const handler = eventConsumer({
  name: 'promote-waitlist',
  contracts: [SessionSeatsReleased],
  logger,
  idempotencyTable: config.IDEMPOTENCY_TABLE_NAME,
  handle: async ({ detail: { sessionId, reason } }) => {
    const result = await promoteWaitlist({ store, clock: systemClock, defaultClaimWindowHours: config.OFFER_CLAIM_HOURS }, sessionId);
    logger.info('waiting list promoted', { sessionId, reason, ...result });
    return result;
  },
});
