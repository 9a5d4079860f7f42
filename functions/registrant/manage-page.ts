import type { FieldProblem } from '../core/errors.ts';
import { html, type SafeHtml } from '../core/html.ts';
import { pageText, tp } from '../core/i18n/page-messages.ts';
import { pickText, type Language, type RegistrationStatus } from '../core/model.ts';
import type { ManageView } from './manage-view.ts';
import { FormProblems, languageItems, options, timeZoneOptions } from '../core/pages/form-controls.ts';
import { pageLayout } from '../core/pages/layout.ts';
import { availabilityBadge, focusSummaryScript, formatInstant, organiserText, sessionDescription, sessionTimes } from '../core/pages/session-parts.ts';

export type ManagePageInput = {
  lang: Language;
  view: ManageView;
  /** The signed manage token; every form posts it back, and the language links keep it. */
  token: string;
  forumTimeZone: string;
  /**
   * A notice key (`cancelled`, `added`, `accepted`, `preferences`, also as `notice.cancelled`) or the
   * text of one; anything else is not shown, so `?notice=` in a link cannot put words on the page.
   */
  notice?: string | undefined;
  errors?: FieldProblem[] | undefined;
  /** A refused details form's values as typed, shown instead of the stored ones. */
  typed?: { name?: string | undefined; organisation?: string | undefined } | undefined;
  forumName?: string;
};

/** Registrations the registrant can still leave: a seat, a place in line, a request or an open offer. */
export const ACTIVE: ReadonlySet<RegistrationStatus> = new Set(['confirmed', 'waitlisted', 'pending', 'offered', 'held']);

/** What leaving a registration gives up (a held place counts as what it stands for): the words of its button and its confirmation. */
export const leavingKind = (registration: { status: RegistrationStatus; heldAs?: 'confirmed' | 'waitlisted' | 'pending' }) =>
  (registration.status === 'held' ? registration.heldAs : registration.status) as 'confirmed' | 'waitlisted' | 'pending' | 'offered';

const ID = { language: 'pref-language', timeZone: 'pref-timeZone', reminders: 'pref-reminders', confirm: 'erase-confirm', name: 'details-name', organisation: 'details-organisation' } as const;
const addCheckboxId = (sessionId: string) => `add-${sessionId}`;

/**
 * The manage page (`GET /me?token=…`): the registrant's sessions with their status and a Cancel button
 * each (Accept for an open offer), a form to add sessions, preferences, data export and erasure. Every
 * form posts urlencoded to its `/me/…` route with the token in a hidden field. Times are in the
 * registrant's zone and in the forum's. Never throws for any view.
 */
export function managePage(input: ManagePageInput): string {
  const { lang, view, token } = input;
  const participant = view.participant;
  const firstAddable = view.available.find((session) => session.availability !== 'closed');
  const problems = new FormProblems(input.errors ?? [], (field) => {
    if (field === 'sessionIds') return firstAddable ? addCheckboxId(firstAddable.sessionId) : undefined;
    return field in ID ? ID[field as keyof typeof ID] : undefined;
  });
  const notice = input.notice ? pageText.notice(lang, input.notice) : undefined;
  const tokenField = html`<input type="hidden" name="token" value="${token}">`;
  const title = tp(lang, 'manage.title');

  const registrations = [...view.registrations].sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt));
  const mySessions = registrations.map((registration) => {
    const { session } = registration;
    const sessionTitle = pickText(session.title, lang);
    const active = ACTIVE.has(registration.status) && session.availability !== 'closed';
    const offer =
      registration.status === 'offered' && registration.offerExpiresAt
        ? html`<div class="offer">
<p><strong>${tp(lang, 'manage.offer', { time: formatInstant(registration.offerExpiresAt, participant.timeZone, lang) })}</strong></p>
<p>${tp(lang, 'manage.offer.hint')}</p>
</div>`
        : '';
    const accept =
      registration.status === 'offered' && active
        ? html`<form method="post" action="/me/offers/accept?lang=${lang}">${tokenField}<input type="hidden" name="sessionId" value="${registration.sessionId}"><button type="submit" class="button">${tp(lang, 'manage.accept')}<span class="visually-hidden"> – ${sessionTitle}</span></button></form>`
        : '';
    const cancelKind = leavingKind(registration);
    const cancel = active
      ? html`<form method="post" action="/me/cancel?lang=${lang}">${tokenField}<input type="hidden" name="sessionId" value="${registration.sessionId}"><button type="submit" class="button button--secondary">${tp(lang, `manage.cancel.${cancelKind}`)}<span class="visually-hidden"> – ${sessionTitle}</span></button></form>`
      : '';
    const held =
      registration.status === 'held' && registration.holdExpiresAt
        ? html`<p class="next-step">${tp(lang, 'manage.held', { time: formatInstant(registration.holdExpiresAt, participant.timeZone, lang) })}</p>`
        : '';
    // A confirmed seat's join link and its calendar file (the feed's event for this session alone).
    const seat = registration.status === 'confirmed' && session.status !== 'cancelled';
    const seatLinks = seat
      ? html`<p class="seat-links">${session.joinUrl ? html`<a class="button" href="${session.joinUrl}">${tp(lang, 'manage.join')}<span class="visually-hidden"> – ${sessionTitle}</span></a> ` : ''}${view.feedUrl ? html`<a href="${view.feedUrl}?session=${encodeURIComponent(session.sessionId)}" download="${session.sessionId}.ics">${tp(lang, 'manage.calendarFile')}<span class="visually-hidden"> – ${sessionTitle}</span></a>` : ''}</p>`
      : '';
    const sessionNote =
      session.status === 'cancelled'
        ? html`<p class="next-step">${tp(lang, 'manage.sessionCancelled')}</p>`
        : session.availability === 'closed' && ACTIVE.has(registration.status)
          ? html`<p class="next-step">${tp(lang, 'manage.sessionEnded')}</p>`
          : '';
    return html`<li class="session">
<div class="session__body">
<h3 class="session__title">${organiserText(session.title, lang)}</h3>
${sessionTimes(lang, session, participant.timeZone, input.forumTimeZone)}
<span class="badge badge--${registration.status}">${pageText.status(lang, registration.status, registration.waitlistPosition)}</span>
${offer}${held}${sessionNote}${seatLinks}
${accept || cancel ? html`<div class="actions">${accept}${cancel}</div>` : ''}
</div>
</li>`;
  });

  const addItems = view.available.map((session) => {
    const id = addCheckboxId(session.sessionId);
    const closed = session.availability === 'closed';
    return html`<li class="session${closed ? ' session--closed' : ''}">
<input type="checkbox" id="${id}" name="sessionIds" value="${session.sessionId}" aria-describedby="${id}-details"${closed ? html` disabled` : ''}${problems.has('sessionIds') && !closed ? html` aria-invalid="true"` : ''}>
<div class="session__body">
<label class="session__title" for="${id}">${organiserText(session.title, lang)}</label>
<div id="${id}-details">
${sessionTimes(lang, session, participant.timeZone, input.forumTimeZone)}
${availabilityBadge(lang, session)}
${sessionDescription(lang, session)}
</div>
</div>
</li>`;
  });

  const body = html`
<h1>${title}</h1>
${notice ? html`<div class="notice" role="status"><p>${notice}</p></div>` : ''}
${problems.summary(lang)}
<p>${tp(lang, 'manage.private')}</p>

<section aria-labelledby="details-heading">
<form method="post" action="/me/details?lang=${lang}" novalidate>
${tokenField}
<fieldset>
<legend class="legend-heading"><h2 id="details-heading">${tp(lang, 'manage.details')}</h2></legend>
<dl class="details">
<dt>${tp(lang, 'field.email')}</dt><dd><bdi dir="ltr">${participant.email}</bdi><br><span class="hint">${tp(lang, 'manage.details.email')}</span></dd>
</dl>
${detailField(lang, problems, 'name', input.typed?.name ?? participant.name, 'name')}
${detailField(lang, problems, 'organisation', input.typed?.organisation ?? participant.organisation, 'organization')}
<button type="submit" class="button button--secondary">${tp(lang, 'manage.details.submit')}</button>
</fieldset>
</form>
</section>

<section aria-labelledby="sessions-heading">
<h2 id="sessions-heading">${tp(lang, 'manage.mySessions')}</h2>
${mySessions.length ? html`<ul class="sessions">${mySessions}</ul>` : html`<p>${tp(lang, 'manage.none')}</p>`}
${registrations.some((r) => r.status === 'held' && r.holdExpiresAt && Date.parse(r.holdExpiresAt) > Date.now()) ? html`<form method="post" action="/me/confirm">${tokenField}<button type="submit" class="button">${tp(lang, 'manage.held.confirm')}</button></form>` : ''}
</section>

${view.feedUrl
  ? html`<section aria-labelledby="calendar-heading">
<h2 id="calendar-heading">${tp(lang, 'manage.calendar')}</h2>
<p>${tp(lang, 'manage.calendar.body')}</p>
<p><a class="button" href="${view.feedUrl.replace(/^https?:/, 'webcal:')}">${tp(lang, 'manage.calendar.subscribe')}</a></p>
<p><label for="feed-url">${tp(lang, 'manage.calendar.url')}</label><br>
<input id="feed-url" class="feed-url" type="text" readonly dir="ltr" value="${view.feedUrl}" aria-describedby="feed-private"></p>
<p id="feed-private" class="hint">${tp(lang, 'manage.calendar.private')}</p>
</section>`
  : ''}

<section aria-labelledby="add-heading">
${
  addItems.length
    ? html`<form method="post" action="/me/sessions?lang=${lang}" novalidate>
${tokenField}
<fieldset class="${problems.has('sessionIds') ? 'field--error' : ''}"${problems.has('sessionIds') ? html` aria-describedby="add-sessions-error"` : ''}>
<legend class="legend-heading"><h2 id="add-heading">${tp(lang, 'manage.add')}</h2></legend>
${problems.inline(lang, 'sessionIds', 'add-sessions')}
<ul class="sessions">${addItems}</ul>
<button type="submit" class="button">${tp(lang, 'manage.add.submit')}</button>
</fieldset>
</form>`
    : html`<h2 id="add-heading">${tp(lang, 'manage.add')}</h2>
<p>${tp(lang, 'manage.add.none')}</p>`
}
</section>

<section aria-labelledby="preferences-heading">
<form method="post" action="/me/preferences" novalidate>
${tokenField}
<fieldset>
<legend class="legend-heading"><h2 id="preferences-heading">${tp(lang, 'manage.preferences')}</h2></legend>
${selectField(lang, problems, 'language', options(languageItems(), participant.language))}
${selectField(lang, problems, 'timeZone', timeZoneOptions(lang, participant.timeZone), `${ID.timeZone}-hint`, tp(lang, 'field.timeZone.hint'))}
<div class="field${problems.has('reminders') ? ' field--error' : ''}">
${problems.inline(lang, 'reminders', ID.reminders)}
<div class="check">
<input type="checkbox" id="${ID.reminders}" name="reminders" value="on"${participant.remindersOff ? '' : html` checked`}${problems.aria('reminders', ID.reminders)}>
<label for="${ID.reminders}">${tp(lang, 'field.reminders')}</label>
</div>
</div>
<button type="submit" class="button">${tp(lang, 'manage.preferences.submit')}</button>
</fieldset>
</form>
</section>

<section aria-labelledby="data-heading">
<h2 id="data-heading">${tp(lang, 'manage.data')}</h2>
<p><a href="/me/export?token=${encodeURIComponent(token)}">${tp(lang, 'manage.export')}</a><br><span class="hint">${tp(lang, 'manage.export.hint')}</span></p>
<form method="post" action="/me/erase?lang=${lang}" novalidate>
${tokenField}
<fieldset>
<legend class="legend-heading"><h3>${tp(lang, 'manage.erase')}</h3></legend>
<p id="erase-text">${tp(lang, 'manage.erase.text')}</p>
<div class="field${problems.has('confirm') ? ' field--error' : ''}">
${problems.inline(lang, 'confirm', ID.confirm)}
<div class="check">
<input type="checkbox" id="${ID.confirm}" name="confirm" value="on"${problems.aria('confirm', ID.confirm, 'erase-text')}>
<label for="${ID.confirm}">${tp(lang, 'field.confirm')}</label>
</div>
</div>
<button type="submit" class="button button--danger">${tp(lang, 'manage.erase.submit')}</button>
</fieldset>
</form>
<form method="post" action="/me/sign-out?lang=${lang}">
${tokenField}
<p><button type="submit" class="button button--secondary">${tp(lang, 'manage.signOut')}</button><br><span class="hint">${tp(lang, 'manage.signOut.hint')}</span></p>
</form>
</section>`;

  return pageLayout({
    lang,
    title,
    body,
    switchHref: (target) => `/me?token=${encodeURIComponent(token)}&lang=${target}`,
    ...(problems.problems.length ? { script: focusSummaryScript } : {}),
    ...(input.forumName ? { forumName: input.forumName } : {}),
  });
}

/** A name or organisation the registrant may correct: its value, its problem when refused, `dir="auto"` for any script. */
function detailField(lang: Language, problems: FormProblems, name: 'name' | 'organisation', value: string, autocomplete: string): SafeHtml {
  const id = ID[name];
  return html`<div class="field${problems.has(name) ? ' field--error' : ''}">
<label for="${id}">${tp(lang, `field.${name}`)}</label>
${problems.inline(lang, name, id)}
<input type="text" id="${id}" name="${name}" value="${value}" autocomplete="${autocomplete}" maxlength="200" dir="auto"${problems.aria(name, id)}>
</div>`;
}

function selectField(lang: Language, problems: FormProblems, name: 'language' | 'timeZone', optionList: SafeHtml, hintId?: string, hint?: string): SafeHtml {
  const id = ID[name];
  return html`<div class="field${problems.has(name) ? ' field--error' : ''}">
<label for="${id}">${tp(lang, `field.${name}`)}</label>
${hint ? html`<span class="hint" id="${hintId}">${hint}</span>` : ''}
${problems.inline(lang, name, id)}
<select id="${id}" name="${name}"${problems.aria(name, id, hintId)}>${optionList}</select>
</div>`;
}
