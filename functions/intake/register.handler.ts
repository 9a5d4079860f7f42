import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoMailBudget } from '../core/store/mail-budget.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { DynamoRegistrationStore } from './dynamo-registration-store.ts';
import { registerRoutes } from './register-routes.ts';
import { submitRegistration } from './submit-registration.ts';

const config = configOf('TABLE_NAME', 'FORUM_TIME_ZONE', 'PERSONAL_DATA_DAYS', 'MAIL_BUDGET_PER_HOUR');
const logger = createLogger('register');
const store = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const mailBudget = new DynamoMailBudget(documentClient, config.TABLE_NAME, config.MAIL_BUDGET_PER_HOUR);

/** POST /registrations: the form's and the API's submissions. */
export const handler = httpFunction({
  logger,
  errorPage: errorPageFor,
  personal: true,
  routes: registerRoutes({
    logger,
    forumTimeZone: config.FORUM_TIME_ZONE,
    clock: systemClock,
    sessions: new DynamoProgrammeStore(documentClient, config.TABLE_NAME),
    submit: async (request, options) =>
      submitRegistration({ store, clock: systemClock, personalDataDays: config.PERSONAL_DATA_DAYS, mailBudget }, request, options),
  }),
});
