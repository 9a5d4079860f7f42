import * as z from 'zod';
import { sesFeedbackContracts } from '../../events/index.ts';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoMailLog } from './dynamo-mail-log.ts';
import { deliveryEventOf, recordDelivery } from './record-delivery.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME }));
const logger = createLogger('record-delivery');
const deps = {
  mailLog: new DynamoMailLog(documentClient, config.TABLE_NAME),
  participants: new DynamoParticipants(documentClient, config.TABLE_NAME),
  stats: new DynamoStats(documentClient, config.TABLE_NAME),
  clock: systemClock,
};

/**
 * SES delivery, bounce and complaint events → the mail's status, suppression of the address, counters.
 * Idempotent by construction (the status change is conditional, and counting follows it), so it keeps no
 * idempotency records.
 */
export const handler = eventConsumer({
  name: 'record-delivery',
  contracts: sesFeedbackContracts,
  logger,
  handle: async (event) => {
    const delivery = deliveryEventOf(event);
    const result = await recordDelivery(deps, delivery);
    logger.info('delivery recorded', { type: delivery.type, messageId: delivery.messageId, ...result });
    return result;
  },
});
