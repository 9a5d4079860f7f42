import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { mailConsumerAdapters } from '../delivery/index.ts';
import { sendStatusMail, statusMailContracts } from './send-status-mail.ts';

const adapters = mailConsumerAdapters();
const logger = createLogger('send-status-mail');

/** Cancelled, offer made or expired, promoted, approved, rejected → one mail to the registrant. */
export const handler = eventConsumer({
  name: 'send-status-mail',
  contracts: statusMailContracts,
  logger,
  idempotencyTable: adapters.config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => {
    const result = await sendStatusMail({ reader: adapters.reader, mailer: adapters.mailer, ...(await adapters.deps()) }, event);
    logger.info('status mail', { eventId: event.detail.eventId, detailType: event.detailType, ...result });
    return result;
  },
});
