import * as z from 'zod';
import { configFields, loadConfig } from '../shared/config.ts';
import { eventConsumer } from '../shared/consumer.ts';
import { createLogger } from '../shared/logger.ts';
import { countActivity, countedContracts } from '../shared/stats/count-activity.ts';
import { documentClient } from '../shared/store/dynamo-client.ts';
import { DynamoRegistrationStore } from '../shared/store/dynamo-registration-store.ts';
import { DynamoStats } from '../shared/store/dynamo-stats.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME, IDEMPOTENCY_TABLE_NAME: configFields.IDEMPOTENCY_TABLE_NAME }));
const logger = createLogger('count-activity');
const stats = new DynamoStats(documentClient, config.TABLE_NAME);
const registrations = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);

/** Registration events → the digest's hourly counters. */
export const handler = eventConsumer({
  name: 'count-activity',
  contracts: countedContracts,
  logger,
  idempotencyTable: config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => countActivity({ stats, participants: registrations, sessions: registrations }, event),
});
