import { configOf } from '../core/config.ts';
import { htmlPage } from '../core/http/http-edge.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { isTimeZone } from '../core/model.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { registrationPage } from './registration-page.ts';

const config = configOf('TABLE_NAME', 'FORUM_TIME_ZONE');
const logger = createLogger('web');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);

/** GET /: the registration page, in the visitor's language, the programme with seats left. */
export const handler = httpFunction({
  logger,
  errorPage: errorPageFor,
  routes: {
    'GET /': async ({ event, lang }) => {
      const zone = event.queryStringParameters?.tz;
      const now = new Date();
      const sessions = (await programme.listSessions()).map((session) => toSessionView(session, now));
      const displayTimeZone = zone && isTimeZone(zone) ? zone : config.FORUM_TIME_ZONE;
      const switchHref = (other: string) => `/?lang=${other}${zone ? `&tz=${encodeURIComponent(zone)}` : ''}`;
      return htmlPage(200, registrationPage({ lang, sessions, forumTimeZone: config.FORUM_TIME_ZONE, displayTimeZone, switchHref }));
    },
  },
});
