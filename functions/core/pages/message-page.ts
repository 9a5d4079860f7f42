import { html } from '../html.ts';
import { pageText, tp, type MessageKind } from '../i18n/page-messages.ts';
import type { Language } from '../model.ts';
import { pageLayout } from './layout.ts';
import { linkRequestForm } from './link-form.ts';

export type MessagePageInput = {
  lang: Language;
  title: string;
  message: string;
  status?: 'error' | 'info';
  switchHref?: (lang: Language) => string;
  forumName?: string;
  /** Offer "mail me my link" (on the pages of invalid, expired or signed-out links). */
  linkForm?: boolean;
};

/**
 * A page with one message: a link that is invalid or expired (403), a page not found (404), data erased
 * (410), or the end of a flow (data erased, reminders stopped). Title and message are escaped.
 */
export function messagePage(input: MessagePageInput): string {
  const { lang } = input;
  const status = input.status ?? 'info';
  const body = html`
<h1>${input.title}</h1>
<div class="message-box${status === 'error' ? ' message-box--error' : ''}"><p>${input.message}</p></div>
${input.linkForm ? linkRequestForm(lang) : ''}
<p><a href="/?lang=${lang}">${tp(lang, 'message.back')}</a></p>`;
  return pageLayout({
    lang,
    title: input.title,
    body,
    ...(input.switchHref ? { switchHref: input.switchHref } : {}),
    ...(input.forumName ? { forumName: input.forumName } : {}),
  });
}

const ERROR_KINDS: ReadonlySet<MessageKind> = new Set(['forbidden', 'notFound', 'gone', 'error']);

/** The ready-made message page of a kind, in `lang` (403 forbidden, 404 notFound, 410 gone, 500 error…). */
export function standardMessagePage(lang: Language, kind: MessageKind, switchHref?: (lang: Language) => string): string {
  const { title, message } = pageText.message(lang, kind);
  const linkForm = kind === 'forbidden' || kind === 'signedOut' || kind === 'nothingToConfirm';
  return messagePage({ lang, title, message, status: ERROR_KINDS.has(kind) ? 'error' : 'info', linkForm, ...(switchHref ? { switchHref } : {}) });
}
