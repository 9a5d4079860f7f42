import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { registrationPageRoutes } from './registration-page-routes.ts';

const config = configOf('TABLE_NAME', 'FORUM_TIME_ZONE', 'ORIGIN_SECRET');
const logger = createLogger('web');

/** GET /: the registration page. */
export const handler = httpFunction({
  logger,
  frontDoorSecret: config.ORIGIN_SECRET,
  errorPage: errorPageFor,
  routes: registrationPageRoutes({ sessions: new DynamoProgrammeStore(documentClient, config.TABLE_NAME), forumTimeZone: config.FORUM_TIME_ZONE, clock: systemClock }),
});
