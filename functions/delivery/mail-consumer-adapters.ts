import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { tokenSigner } from '../identity/index.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoMailLog } from './dynamo-mail-log.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { LoggingMailer } from './mail-log.ts';
import { SesMailer, queuedSesClient } from '../core/mail/ses-mailer.ts';
import { DynamoRateLedger } from './dynamo-rate-ledger.ts';
import { PacedMailer, TransactionalPace, cachedSendQuota, readSendQuota } from './send-pace.ts';

/**
 * Configuration and adapters of the functions that mail one registrant about one event (the answer mail,
 * the status mails): the reader, a mailer that logs every message it sends, each at its place in the
 * account's send rate (shared with bulk mail through the rate ledger), and the link signer.
 */
export function mailConsumerAdapters() {
  const config = configOf('TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE', 'TOKEN_TTL_DAYS', 'MAIL_FROM_NAME');
  const mailLog = new DynamoMailLog(documentClient, config.TABLE_NAME);
  const pace = new TransactionalPace(cachedSendQuota(() => readSendQuota(queuedSesClient)), new DynamoRateLedger(documentClient, config.TABLE_NAME));
  return {
    config,
    reader: new DynamoParticipants(documentClient, config.TABLE_NAME),
    mailer: new LoggingMailer(new PacedMailer(new SesMailer(queuedSesClient, { address: config.MAIL_FROM, name: config.MAIL_FROM_NAME }, config.CONFIGURATION_SET), pace), mailLog, systemClock),
    /** Per invocation: the secret may rotate; Powertools caches it for five minutes. */
    deps: async () => ({
      tokens: await tokenSigner(config.TOKEN_SECRET_ARN),
      clock: systemClock,
      context: { from: config.MAIL_FROM, fromName: config.MAIL_FROM_NAME, publicUrl: config.PUBLIC_URL, forumTimeZone: config.FORUM_TIME_ZONE },
      tokenTtlDays: config.TOKEN_TTL_DAYS,
    }),
  };
}
