import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoMailBudget } from '../core/store/mail-budget.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { DynamoMailLog, LoggingMailer } from '../delivery/index.ts';
import { DynamoDigestLog } from '../digest/index.ts';
import { tokenSigner } from '../identity/index.ts';
import { DynamoRegistrationStore, confirmHolds, submitRegistration } from '../intake/index.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { DynamoLifecycleStore } from '../waitlist/index.ts';
import { DynamoFeedReader } from './dynamo-feed-reader.ts';
import { manageRoutes } from './manage-routes.ts';

const config = configOf('TABLE_NAME', 'ORIGIN_SECRET', 'PUBLIC_URL', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE', 'MAIL_FROM', 'CONFIGURATION_SET', 'PERSONAL_DATA_DAYS', 'TOKEN_TTL_DAYS', 'MAIL_BUDGET_PER_HOUR', 'MAIL_FROM_NAME');
const { TABLE_NAME, TOKEN_SECRET_ARN, MAIL_FROM, CONFIGURATION_SET, PERSONAL_DATA_DAYS } = config;
const logger = createLogger('manage');
const registrations = new DynamoRegistrationStore(documentClient, TABLE_NAME);
const lifecycle = { store: new DynamoLifecycleStore(documentClient, TABLE_NAME), clock: systemClock };
const mailLog = new DynamoMailLog(documentClient, TABLE_NAME);
const tokens = (options?: { refresh?: boolean }) => tokenSigner(TOKEN_SECRET_ARN, options);
const mailer = new LoggingMailer(new SesMailer(sesClient, { address: MAIL_FROM, name: config.MAIL_FROM_NAME }, CONFIGURATION_SET), mailLog, systemClock);
const programme = new DynamoProgrammeStore(documentClient, TABLE_NAME);
const submitDeps = { store: registrations, clock: systemClock, personalDataDays: PERSONAL_DATA_DAYS };
const sender = { from: MAIL_FROM, fromName: config.MAIL_FROM_NAME, publicUrl: config.PUBLIC_URL };

/** The registrant's manage link: view, add, cancel, accept offers, preferences, export, erase, unsubscribe. */
export const handler = httpFunction({
  ...{ logger, errorPage: errorPageFor, personal: true, frontDoorSecret: config.ORIGIN_SECRET },
  routes: manageRoutes({
    tokens, clock: systemClock, logger, forumTimeZone: config.FORUM_TIME_ZONE, lifecycle, links: registrations,
    erase: { lifecycle, participants: registrations, mailer, clock: systemClock, context: sender },
    view: { getParticipant: (id) => registrations.getParticipant(id), listSessions: () => programme.listSessions() },
    exportData: { profiles: registrations, registrations: lifecycle.store, mails: mailLog },
    addSessions: { profiles: registrations, submit: (request, lang) => submitRegistration(submitDeps, request, { lang }) },
    preferences: { profiles: registrations },
    feed: { reader: new DynamoFeedReader(documentClient, TABLE_NAME), context: sender },
    confirmHolds: (participantId) => confirmHolds({ store: registrations, clock: systemClock }, participantId),
    unsubscribe: { profiles: registrations, digest: new DynamoDigestLog(documentClient, TABLE_NAME) },
    mailLink: { directory: registrations, profiles: registrations, budget: new DynamoMailBudget(documentClient, TABLE_NAME, config.MAIL_BUDGET_PER_HOUR), mailer, tokens, clock: systemClock, publicUrl: config.PUBLIC_URL, from: MAIL_FROM, tokenTtlDays: config.TOKEN_TTL_DAYS },
  }),
});
