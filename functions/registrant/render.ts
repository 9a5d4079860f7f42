import { htmlPage, type HttpResult } from '../core/http/http-edge.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/messages.ts';
import type { Language } from '../core/model.ts';
import { pageLayout } from '../core/pages/layout.ts';
import { managePage } from './manage-page.ts';
import { standardMessagePage } from '../core/pages/message-page.ts';
import type { ManageView } from './manage-view.ts';

export function renderManage(input: { lang: Language; view: ManageView; token: string; forumTimeZone: string; notice?: string | undefined }): HttpResult {
  return htmlPage(200, managePage(input));
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
