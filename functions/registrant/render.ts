import type { FieldProblem } from '../core/errors.ts';
import { htmlPage, type HttpResult } from '../core/http/http-edge.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/messages.ts';
import { tp } from '../core/i18n/page-messages.ts';
import { formatInstant, organiserText } from '../core/pages/session-parts.ts';
import type { Language } from '../core/model.ts';
import { pageLayout } from '../core/pages/layout.ts';
import { leavingKind, managePage } from './manage-page.ts';
import { standardMessagePage } from '../core/pages/message-page.ts';
import type { ManageView } from './manage-view.ts';

export function renderManage(input: { lang: Language; view: ManageView; token: string; forumTimeZone: string; notice?: string | undefined; errors?: FieldProblem[]; typed?: { name?: string | undefined; organisation?: string | undefined } }, statusCode = 200): HttpResult {
  return htmlPage(statusCode, managePage(input));
}

export function renderMessage(lang: Language, kind: 'unsubscribed' | 'erased' | 'linkSent' | 'signedOut'): HttpResult {
  return htmlPage(200, standardMessagePage(lang, kind));
}

/** The page behind a reminder's unsubscribe link: it only asks, a POST does it (scanners follow links). */
export function renderUnsubscribeConfirm(lang: Language, token: string): HttpResult {
  const title = t(lang, 'page.unsubscribe.title');
  const body = html`<h1>${title}</h1>
<p>${t(lang, 'page.unsubscribe.body')}</p>
<form method="post" action="/unsubscribe?token=${encodeURIComponent(token)}">
<button type="submit">${t(lang, 'page.unsubscribe.button')}</button>
</form>`;
  return htmlPage(200, pageLayout({ lang, title, body, switchHref: (other) => `/unsubscribe?token=${encodeURIComponent(token)}&lang=${other}` }));
}

type Leaving = ManageView['registrations'][number];

/**
 * The step before an irreversible change (cancel a seat, leave the waiting list, withdraw a request,
 * decline an offer; WCAG 3.3.4): what the registrant is about to leave and what follows, a button that
 * does it and a link back that changes nothing. Works without JavaScript.
 */
export function renderCancelConfirm(input: { lang: Language; token: string; registration: Leaving; timeZone: string }): HttpResult {
  const { lang, token, registration } = input;
  const kind = leavingKind(registration);
  const title = tp(lang, `manage.confirm.title.${kind}`);
  const session = registration.session;
  const back = `/me?token=${encodeURIComponent(token)}&lang=${lang}`;
  const body = html`<h1>${title}</h1>
${session ? html`<p class="lead"><strong>${organiserText(session.title, lang)}</strong><br>${formatInstant(session.startsAt, input.timeZone, lang)}</p>` : ''}
<div class="message-box"><p>${tp(lang, `manage.confirm.body.${kind}`)}</p></div>
<form method="post" action="/me/cancel?lang=${lang}">
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="sessionId" value="${registration.sessionId}">
<input type="hidden" name="confirmed" value="yes">
<button type="submit" class="button button--danger">${tp(lang, `manage.cancel.${kind}`)}</button>
</form>
<p><a class="link-action" href="${back}">${tp(lang, 'manage.confirm.keep')}</a></p>`;
  // It answers a POST: a language link would leave the step (the manage page has the language links).
  return htmlPage(200, pageLayout({ lang, title, body, switchHref: null }));
}
