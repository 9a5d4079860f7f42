import { html } from '../core/html.ts';
import { pageText, tp } from '../core/i18n/page-messages.ts';
import type { Language } from '../core/model.ts';
import type { SessionView } from '../core/sessions-view.ts';
import type { SubmissionAnswer } from './registration-store.ts';
import { pageLayout } from '../core/pages/layout.ts';
import { sessionTitle, sessionTimes } from '../core/pages/session-parts.ts';
import { formatInstant } from '../core/time-format.ts';

export type AnswerPageInput = {
  lang: Language;
  answer: SubmissionAnswer;
  sessions: Map<string, SessionView>;
  /** The registrant's time zone (as submitted). */
  timeZone: string;
  forumTimeZone: string;
  forumName?: string;
};

/**
 * The page answering a form submission (`POST /registrations`, 201): each session's outcome with what
 * happens next, and the (masked) address the mail went to. Never the manage link: it reaches only the
 * address's owner, by mail. A session missing
 * from `sessions` is named by its id rather than failing. The language switcher is hidden: the page
 * answers a POST and cannot be fetched again in another language.
 */
export function answerPage(input: AnswerPageInput): string {
  const { lang, answer } = input;
  const held = answer.heldUntil;
  const title = tp(lang, held ? 'answer.held.title' : 'answer.title');
  const items = answer.sessions.map((outcome) => {
    const session = input.sessions.get(outcome.sessionId);
    return html`<li class="session">
<div class="session__body">
<h2 class="session__title">${sessionTitle(lang, session, outcome.sessionId)}</h2>
${session ? sessionTimes(lang, session, input.timeZone, input.forumTimeZone) : ''}
<span class="badge badge--${outcome.status}">${held ? tp(lang, `answer.held.${outcome.status}`) : pageText.status(lang, outcome.status, outcome.waitlistPosition)}</span>
${held ? '' : html`<p class="next-step">${tp(lang, `answer.next.${outcome.status}`)}</p>`}
</div>
</li>`;
  });
  const notice = held
    ? html`<p>${tp(lang, 'answer.held.mail', { address: answer.mailedTo, until: formatInstant(held, input.timeZone, lang) })}</p><p>${tp(lang, 'answer.held.hint')}</p>`
    : html`<p>${tp(lang, 'answer.mail', { address: answer.mailedTo })}</p><p>${tp(lang, 'answer.manage.hint')}</p>`;
  const body = html`
<h1>${title}</h1>
<div class="notice" role="status">${notice}</div>
<p class="lead">${tp(lang, 'answer.intro')}</p>
<ul class="sessions">${items}</ul>`;
  return pageLayout({ lang, title, body, switchHref: null, ...(input.forumName ? { forumName: input.forumName } : {}) });
}
