import { RegistrationConfirmed, RegistrationHeld } from '../../events/index.ts';
import { eventConsumer } from '../core/consumer.ts';
import { createLogger } from '../core/logger.ts';
import { mailConsumerAdapters } from '../delivery/index.ts';
import { sendHoldMail, sendRegistrationMail } from './send-registration-mail.ts';

const adapters = mailConsumerAdapters();
const logger = createLogger('send-registration-mail');

/**
 * Registration.Confirmed → the registrant's answer mail with calendar invitations;
 * Registration.Held → the one mail asking the address to confirm its held places.
 */
export const handler = eventConsumer({
  name: 'send-registration-mail',
  contracts: [RegistrationConfirmed, RegistrationHeld],
  logger,
  idempotencyTable: adapters.config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => {
    const deps = { reader: adapters.reader, mailer: adapters.mailer, ...(await adapters.deps()) };
    const { detail } = event;
    const result = event.detailType === RegistrationHeld.detailType ? await sendHoldMail(deps, event.detail) : await sendRegistrationMail(deps, event.detail);
    logger.info(event.detailType === RegistrationHeld.detailType ? 'hold mail' : 'registration mail', { eventId: detail.eventId, participantId: detail.participantId, ...result });
    return result;
  },
});
