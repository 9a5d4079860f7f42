import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoMailLog, LoggingMailer } from '../delivery/index.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { DynamoLifecycleStore } from '../waitlist/index.ts';
import { adminRoutes } from './admin-routes.ts';

const { TABLE_NAME, MAIL_FROM, MAIL_FROM_NAME, PUBLIC_URL, CONFIGURATION_SET, NOTICE_QUIET_MINUTES } = configOf('TABLE_NAME', 'MAIL_FROM', 'MAIL_FROM_NAME', 'PUBLIC_URL', 'CONFIGURATION_SET', 'NOTICE_QUIET_MINUTES');
const logger = createLogger('admin-api');
const programme = new DynamoProgrammeStore(documentClient, TABLE_NAME);
const participants = new DynamoParticipants(documentClient, TABLE_NAME);
const mailLog = new DynamoMailLog(documentClient, TABLE_NAME);
const lifecycle = { store: new DynamoLifecycleStore(documentClient, TABLE_NAME), clock: systemClock };
const mailer = new LoggingMailer(new SesMailer(sesClient, { address: MAIL_FROM, name: MAIL_FROM_NAME }, CONFIGURATION_SET), mailLog, systemClock);

/** The organisers' API (IAM-authorised in AWS, SigV4-checked locally); one function, routed by route key. */
export const handler = httpFunction({
  logger,
  routes: adminRoutes({
    programme: { store: programme, clock: systemClock, quietPeriodMinutes: NOTICE_QUIET_MINUTES },
    lifecycle,
    registrationsCsv: { sessions: programme, registrations: lifecycle.store, participants },
    deliveries: { mails: mailLog },
    erase: { lifecycle, participants, directory: participants, mailer, clock: systemClock, context: { from: MAIL_FROM, fromName: MAIL_FROM_NAME, publicUrl: PUBLIC_URL } },
  }),
});
