import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoMailBudget } from '../core/store/mail-budget.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { tokenSigner } from '../identity/index.ts';
import { confirmRoutes } from './confirm-routes.ts';
import { DynamoRegistrationStore } from './dynamo-registration-store.ts';
import { DynamoFormDrafts } from './form-drafts.ts';
import { registerRoutes } from './register-routes.ts';
import { submitRegistration } from './submit-registration.ts';

const config = configOf('TABLE_NAME', 'FORUM_TIME_ZONE', 'TOKEN_SECRET_ARN', 'ORIGIN_SECRET', 'PERSONAL_DATA_DAYS', 'MAIL_BUDGET_PER_HOUR', 'ADDRESS_CONFIRMATION', 'CONFIRM_WITHIN_MINUTES');
const logger = createLogger('register');
const store = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const mailBudget = new DynamoMailBudget(documentClient, config.TABLE_NAME, config.MAIL_BUDGET_PER_HOUR);
const confirmation = config.ADDRESS_CONFIRMATION === 'on' ? { holdMinutes: config.CONFIRM_WITHIN_MINUTES } : undefined;

/** POST /registrations: the form's and the API's submissions; GET and POST /confirm: address confirmation. */
export const handler = httpFunction({
  logger,
  errorPage: errorPageFor,
  personal: true,
  frontDoorSecret: config.ORIGIN_SECRET,
  routes: {
    ...registerRoutes({
      logger,
      forumTimeZone: config.FORUM_TIME_ZONE,
      clock: systemClock,
      sessions: new DynamoProgrammeStore(documentClient, config.TABLE_NAME),
      drafts: new DynamoFormDrafts(documentClient, config.TABLE_NAME),
      submit: async (request, options) =>
        submitRegistration({ store, clock: systemClock, personalDataDays: config.PERSONAL_DATA_DAYS, mailBudget, ...(confirmation ? { confirmation } : {}) }, request, options),
    }),
    ...confirmRoutes({ logger, forumTimeZone: config.FORUM_TIME_ZONE, clock: systemClock, tokens: (options) => tokenSigner(config.TOKEN_SECRET_ARN, options), holds: { store, clock: systemClock }, sessions: store }),
  },
});
