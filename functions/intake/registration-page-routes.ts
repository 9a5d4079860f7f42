import { htmlPage, PUBLIC_BRIEFLY } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import { isTimeZone, sessionKind, type Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';
import type { FormDrafts, FormDraft } from './form-drafts.ts';
import { registrationPage, type ProgrammeFilter } from './registration-page.ts';
import { formProblems } from './registration-request.ts';
import type { Language } from '../core/model.ts';
import type { SessionView } from '../core/sessions-view.ts';

/**
 * A refused form shown again from its draft (Post/Redirect/Get): filled in as typed, its problems worded
 * again in the page's language; the language links keep the draft. Personal: never stored by a browser
 * or CloudFront.
 */
function refusedForm(input: { lang: Language; sessions: SessionView[]; draft: FormDraft; draftId: string; forumTimeZone: string }) {
  const { lang, draft } = input;
  const zone = typeof draft.values.timeZone === 'string' && isTimeZone(draft.values.timeZone) ? draft.values.timeZone : input.forumTimeZone;
  const page = registrationPage({
    lang,
    sessions: input.sessions,
    forumTimeZone: input.forumTimeZone,
    displayTimeZone: zone,
    values: draft.values,
    errors: formProblems(draft.values, lang),
    switchHref: (other) => `/?lang=${other}&draft=${input.draftId}`,
  });
  return htmlPage(200, page, { 'cache-control': 'no-store' });
}

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
export function registrationPageRoutes(deps: { sessions: { listSessions(): Promise<Session[]> }; forumTimeZone: string; clock: { now(): Date }; drafts: Pick<FormDrafts, 'read'> }): Routes {
  return {
    'GET /': async ({ event, lang }) => {
      const zone = event.queryStringParameters?.tz;
      const now = deps.clock.now();
      const draftId = event.queryStringParameters?.draft;
      const [views, draft] = await Promise.all([deps.sessions.listSessions(), draftId ? deps.drafts.read(draftId, now) : undefined]);
      const sessions = views.map((session) => toSessionView(session, now));
      if (draft && draftId) return refusedForm({ lang, sessions, draft, draftId, forumTimeZone: deps.forumTimeZone });
      const displayTimeZone = zone && isTimeZone(zone) ? zone : deps.forumTimeZone;
      const filter = filterOf(event.queryStringParameters);
      const kept = new URLSearchParams({ ...(zone ? { tz: zone } : {}), ...filter });
      const switchHref = (other: string) => `/?lang=${other}${kept.size ? `&${kept.toString()}` : ''}`;
      // Nothing personal: CloudFront may keep it five seconds per language, zone and query (seats left stay near-live).
      return htmlPage(200, registrationPage({ lang, sessions, forumTimeZone: deps.forumTimeZone, displayTimeZone, switchHref, filter }), PUBLIC_BRIEFLY);
    },
  };
}
