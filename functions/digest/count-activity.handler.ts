import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { countActivity, countedContracts } from './count-activity.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME, IDEMPOTENCY_TABLE_NAME: configFields.IDEMPOTENCY_TABLE_NAME }));
const logger = createLogger('count-activity');
const stats = new DynamoStats(documentClient, config.TABLE_NAME);
const registrations = new DynamoParticipants(documentClient, config.TABLE_NAME);

/** Registration events → the digest's hourly counters. */
export const handler = eventConsumer({
  name: 'count-activity',
  contracts: countedContracts,
  logger,
  idempotencyTable: config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => countActivity({ stats, participants: registrations, sessions: registrations }, event),
});
