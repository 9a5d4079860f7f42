import { RegistrationConfirmed } from '../../events/index.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { mailConsumerAdapters } from '../delivery/index.ts';
import { sendRegistrationMail } from './send-registration-mail.ts';

const adapters = mailConsumerAdapters();
const logger = createLogger('send-registration-mail');

/** Registration.Confirmed → the registrant's answer mail with calendar invitations. */
export const handler = eventConsumer({
  name: 'send-registration-mail',
  contracts: [RegistrationConfirmed],
  logger,
  idempotencyTable: adapters.config.IDEMPOTENCY_TABLE_NAME,
  handle: async ({ detail: submission }) => {
    const result = await sendRegistrationMail({ reader: adapters.reader, mailer: adapters.mailer, ...(await adapters.deps()) }, submission);
    logger.info('registration mail', { eventId: submission.eventId, participantId: submission.participantId, ...result });
    return result;
  },
});
