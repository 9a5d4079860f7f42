import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { RequestError } from '../core/errors.ts';
import { html } from '../core/html.ts';
import { htmlPage, json, readBody, wantsHtml } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import { t } from '../core/i18n/messages.ts';
import { tp } from '../core/i18n/page-messages.ts';
import type { Language, Participant, Session } from '../core/model.ts';
import { pageLayout } from '../core/pages/layout.ts';
import { standardMessagePage } from '../core/pages/message-page.ts';
import { sessionTimes, sessionTitle } from '../core/pages/session-parts.ts';
import { formatInstant } from '../core/time-format.ts';
import { linkVerifier, type LinkVerifierDeps } from '../identity/index.ts';
import { confirmHolds, liveHolds, type HoldDeps } from './holds.ts';

export type ConfirmDeps = LinkVerifierDeps & {
  logger: Logger;
  forumTimeZone: string;
  holds: HoldDeps;
  sessions: { getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>> };
};

const confirmBody = z.object({ token: z.string().max(2000) });

/**
 * Address confirmation over HTTP. `GET /confirm` (the mail's link) only shows what is held and a button:
 * mail scanners follow links, and a GET never changes anything. `POST /confirm` (the button) confirms.
 * The token is a `confirm` token for one hold; any other token, or one signed out since, is refused (403).
 */
export function confirmRoutes(deps: ConfirmDeps): Routes {
  const claimOf = linkVerifier(deps);
  const participantOf = async (token: unknown, lang: Language): Promise<{ participant: Participant; holdId: string }> => {
    const claim = await claimOf(token, ['confirm'], lang);
    const participant = await deps.holds.store.getParticipant(claim.subject);
    if (!participant || !claim.ref) throw new RequestError(403, 'forbidden', t(lang, 'error.linkInvalid'));
    if (participant.erasedAt) throw new RequestError(410, 'erased', t(lang, 'error.erased'));
    if ((participant.linkGeneration ?? 0) !== (claim.generation ?? 0)) throw new RequestError(403, 'signed_out', t(lang, 'error.linkSignedOut'));
    return { participant, holdId: claim.ref };
  };
  const nothing = (lang: Language) => htmlPage(200, standardMessagePage(lang, 'nothingToConfirm'));
  /** The registrant's own language, unless the visitor picked one (`?lang=`, which sets `requested`). */
  const langOf = (event: { queryStringParameters?: Record<string, string | undefined> }, requested: Language, participant: Participant): Language =>
    event.queryStringParameters?.lang ? requested : participant.language;

  return {
    'GET /confirm': async ({ event, lang: requested }) => {
      const token = event.queryStringParameters?.token;
      const { participant, holdId } = await participantOf(token, requested);
      const lang = langOf(event, requested, participant);
      const holds = await liveHolds(deps.holds, participant.participantId, holdId);
      if (!wantsHtml(event)) return json(200, { held: holds.map((h) => ({ sessionId: h.sessionId, status: h.heldAs, holdExpiresAt: h.holdExpiresAt })) });
      if (holds.length === 0) return nothing(lang);
      const sessions = await deps.sessions.getSessions(holds.map((h) => h.sessionId));
      const until = holds.map((h) => h.holdExpiresAt!).sort()[0]!;
      const title = tp(lang, 'confirm.title');
      const body = html`<h1>${title}</h1>
<p>${tp(lang, 'confirm.body', { until: formatInstant(until, participant.timeZone, lang) })}</p>
<ul class="sessions">${holds.map((hold) => {
        const session = sessions.get(hold.sessionId);
        return html`<li class="session"><div class="session__body"><h2 class="session__title">${sessionTitle(lang, session, hold.sessionId)}</h2>
${session ? sessionTimes(lang, session, participant.timeZone, deps.forumTimeZone) : ''}
<span class="badge badge--${hold.heldAs}">${tp(lang, `answer.held.${hold.heldAs!}`)}</span></div></li>`;
      })}</ul>
<form method="post" action="/confirm?lang=${lang}"><input type="hidden" name="token" value="${token!}"><button type="submit" class="button">${tp(lang, 'confirm.button')}</button></form>`;
      return htmlPage(200, pageLayout({ lang, title, body, switchHref: (other) => `/confirm?token=${encodeURIComponent(token!)}&lang=${other}` }));
    },
    'POST /confirm': async ({ event, lang: requested }) => {
      const raw = readBody(event, requested);
      const parsed = confirmBody.safeParse(raw);
      const { participant, holdId } = await participantOf(parsed.success ? parsed.data.token : event.queryStringParameters?.token, requested);
      const lang = langOf(event, requested, participant);
      const confirmed = await confirmHolds(deps.holds, participant.participantId, holdId);
      deps.logger.info('holds confirmed', { participantId: participant.participantId, confirmed: confirmed.length });
      if (!wantsHtml(event)) {
        return confirmed.length
          ? json(200, { confirmed: confirmed.map(({ sessionId, status }) => ({ sessionId, status })) })
          : json(409, { error: { code: 'nothing_to_confirm', message: tp(lang, 'message.nothingToConfirm.body') } });
      }
      return confirmed.length ? htmlPage(200, standardMessagePage(lang, 'confirmed')) : nothing(lang);
    },
  };
}
