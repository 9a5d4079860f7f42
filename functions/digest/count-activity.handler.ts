import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { RegistrationConfirmed } from '../../events/index.ts';
import { businessMetrics, publishCounts } from '../core/metrics.ts';
import { countActivity, countedContracts } from './count-activity.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME, IDEMPOTENCY_TABLE_NAME: configFields.IDEMPOTENCY_TABLE_NAME }));
const logger = createLogger('count-activity');
const stats = new DynamoStats(documentClient, config.TABLE_NAME);
const registrations = new DynamoParticipants(documentClient, config.TABLE_NAME);
const metrics = businessMetrics('count-activity');

/** Registration events → the digest's hourly counters; confirmed registrations → the Registrations metric (once per event). */
export const handler = eventConsumer({
  name: 'count-activity',
  contracts: countedContracts,
  logger,
  idempotencyTable: config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => {
    const counters = await countActivity({ stats, participants: registrations, sessions: registrations }, event);
    if (event.detailType === RegistrationConfirmed.detailType) publishCounts(metrics, { Registrations: counters['new|total'] ?? 0 });
    return counters;
  },
});
