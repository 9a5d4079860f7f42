import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { defaultRoute } from '../core/http/default-route.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { DynamoFormDrafts } from './form-drafts.ts';
import { registrationPageRoutes } from './registration-page-routes.ts';

const config = configOf('TABLE_NAME', 'FORUM_TIME_ZONE', 'ORIGIN_SECRET', 'ROUTE_KEYS');
const logger = createLogger('web');

/** GET /: the registration page; `$default`: the 404 and 405 pages of every request no route matches. */
export const handler = httpFunction({
  logger,
  frontDoorSecret: config.ORIGIN_SECRET,
  errorPage: errorPageFor,
  routes: {
    ...registrationPageRoutes({ sessions: new DynamoProgrammeStore(documentClient, config.TABLE_NAME), drafts: new DynamoFormDrafts(documentClient, config.TABLE_NAME), forumTimeZone: config.FORUM_TIME_ZONE, clock: systemClock }),
    ...defaultRoute(config.ROUTE_KEYS),
  },
});
