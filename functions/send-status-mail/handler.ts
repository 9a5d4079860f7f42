import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import { configFields, loadConfig } from '../shared/config.ts';
import { eventConsumer } from '../shared/consumer.ts';
import { createLogger } from '../shared/logger.ts';
import { LoggingMailer } from '../shared/mail/mail-log.ts';
import { SesMailer, sesClient } from '../shared/mail/ses-mailer.ts';
import { DynamoMailLog } from '../shared/store/dynamo-mail-log.ts';
import { sendStatusMail, statusMailContracts } from '../shared/registration/send-status-mail.ts';
import { tokenSigner } from '../shared/secrets.ts';
import { documentClient } from '../shared/store/dynamo-client.ts';
import { DynamoRegistrationStore } from '../shared/store/dynamo-registration-store.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    IDEMPOTENCY_TABLE_NAME: configFields.IDEMPOTENCY_TABLE_NAME,
    PUBLIC_URL: configFields.PUBLIC_URL,
    MAIL_FROM: configFields.MAIL_FROM,
    CONFIGURATION_SET: configFields.CONFIGURATION_SET,
    TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
    FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE,
    TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(180),
  }),
);
const logger = createLogger('send-status-mail');
const reader = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const mailer = new LoggingMailer(new SesMailer(sesClient, config.MAIL_FROM, config.CONFIGURATION_SET), new DynamoMailLog(documentClient, config.TABLE_NAME), systemClock);

/** Cancelled, offer made or expired, promoted, approved, rejected → one mail to the registrant. */
export const handler = eventConsumer({
  name: 'send-status-mail',
  contracts: statusMailContracts,
  logger,
  idempotencyTable: config.IDEMPOTENCY_TABLE_NAME,
  handle: async (event) => {
    const result = await sendStatusMail(
      {
        reader,
        mailer,
        tokens: await tokenSigner(config.TOKEN_SECRET_ARN),
        clock: systemClock,
        context: { from: config.MAIL_FROM, publicUrl: config.PUBLIC_URL, forumTimeZone: config.FORUM_TIME_ZONE },
        tokenTtlDays: config.TOKEN_TTL_DAYS,
      },
      event,
    );
    logger.info('status mail', { eventId: event.detail.eventId, detailType: event.detailType, ...result });
    return result;
  },
});
