import { htmlPage, PUBLIC_BRIEFLY } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import { isTimeZone, sessionKind, type Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { registrationPage, type ProgrammeFilter } from './registration-page.ts';

/** `?kind=` and `?week=` as the programme filter; anything else is ignored (the whole programme shows). */
function filterOf(query: Record<string, string | undefined> | null | undefined): ProgrammeFilter {
  const kind = sessionKind.safeParse(query?.kind);
  const week = /^\d{4}-\d{2}-\d{2}$/.test(query?.week ?? '') ? query?.week : undefined;
  return { ...(kind.success ? { kind: kind.data } : {}), ...(week ? { week } : {}) };
}

/**
 * GET /: the registration page, in the visitor's language, the programme with seats left, in `?tz=` or the
 * forum's zone, narrowed by `?kind=` and `?week=` (the filters' GET form).
 */
export function registrationPageRoutes(deps: { sessions: { listSessions(): Promise<Session[]> }; forumTimeZone: string; clock: { now(): Date } }): Routes {
  return {
    'GET /': async ({ event, lang }) => {
      const zone = event.queryStringParameters?.tz;
      const now = deps.clock.now();
      const sessions = (await deps.sessions.listSessions()).map((session) => toSessionView(session, now));
      const displayTimeZone = zone && isTimeZone(zone) ? zone : deps.forumTimeZone;
      const filter = filterOf(event.queryStringParameters);
      const kept = new URLSearchParams({ ...(zone ? { tz: zone } : {}), ...filter });
      const switchHref = (other: string) => `/?lang=${other}${kept.size ? `&${kept.toString()}` : ''}`;
      // Nothing personal: CloudFront may keep it five seconds per language, zone and query (seats left stay near-live).
      return htmlPage(200, registrationPage({ lang, sessions, forumTimeZone: deps.forumTimeZone, displayTimeZone, switchHref, filter }), PUBLIC_BRIEFLY);
    },
  };
}
