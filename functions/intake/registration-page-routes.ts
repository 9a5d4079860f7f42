import { htmlPage, PUBLIC_BRIEFLY } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import { isTimeZone, type Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { registrationPage } from './registration-page.ts';

/** GET /: the registration page, in the visitor's language, the programme with seats left, in `?tz=` or the forum's zone. */
export function registrationPageRoutes(deps: { sessions: { listSessions(): Promise<Session[]> }; forumTimeZone: string; clock: { now(): Date } }): Routes {
  return {
    'GET /': async ({ event, lang }) => {
      const zone = event.queryStringParameters?.tz;
      const now = deps.clock.now();
      const sessions = (await deps.sessions.listSessions()).map((session) => toSessionView(session, now));
      const displayTimeZone = zone && isTimeZone(zone) ? zone : deps.forumTimeZone;
      const switchHref = (other: string) => `/?lang=${other}${zone ? `&tz=${encodeURIComponent(zone)}` : ''}`;
      // Nothing personal: CloudFront may keep it five seconds per language, zone and query (seats left stay near-live).
      return htmlPage(200, registrationPage({ lang, sessions, forumTimeZone: deps.forumTimeZone, displayTimeZone, switchHref }), PUBLIC_BRIEFLY);
    },
  };
}
