import { linkRequestForm } from '../core/pages/link-form.ts';
import type { FieldProblem } from '../core/errors.ts';
import { html, type SafeHtml } from '../core/html.ts';
import { pageLocale, pageText, tp } from '../core/i18n/page-messages.ts';
import type { Language } from '../core/model.ts';
import type { SessionView } from '../core/sessions-view.ts';
import { MAX_SESSIONS_PER_SUBMISSION } from './registration-request.ts';
import {
  countryItems,
  FormProblems,
  isTicked,
  languageItems,
  listValue,
  options,
  stakeholderItems,
  stringValue,
  timeZoneItems,
} from '../core/pages/form-controls.ts';
import { pageLayout } from '../core/pages/layout.ts';
import {
  availabilityBadge,
  focusSummaryScript,
  groupProgramme,
  localTimesScript,
  organiserText,
  sessionDescription,
  sessionTimes,
  weekHeading,
} from '../core/pages/session-parts.ts';

type FormValue = string | string[] | boolean;

export type RegistrationPageInput = {
  lang: Language;
  sessions: SessionView[];
  forumTimeZone: string;
  /** The zone the registrant's times are shown in before the page script knows the browser's zone. */
  displayTimeZone: string;
  /** What was posted, to fill the form again after a refused submission. */
  values?: Record<string, FormValue>;
  /** Field problems of a refused submission, messages already in `lang`. */
  errors?: FieldProblem[];
  /** A line shown above the form (for instance why the submission was refused as a whole). */
  message?: string;
  switchHref?: (lang: Language) => string;
  forumName?: string;
};

const ID = {
  name: 'field-name',
  email: 'field-email',
  organisation: 'field-organisation',
  stakeholderType: 'field-stakeholderType',
  country: 'field-country',
  language: 'field-language',
  timeZone: 'field-timeZone',
  consent: 'field-consent',
} as const;

const sessionCheckboxId = (sessionId: string) => `session-${sessionId}`;

type Context = { lang: Language; values: Record<string, FormValue>; problems: FormProblems };

/**
 * The registration page (`GET /`, and again with `values` and `errors` after a refused `POST
 * /registrations`). The form posts urlencoded fields named exactly as the registration schema reads them.
 * It works without JavaScript; the inline script only picks the browser's time zone and re-renders the
 * programme's times in it. Every text from registrants or organisers is escaped. Never throws for any
 * session list (an empty programme shows a note instead).
 */
export function registrationPage(input: RegistrationPageInput): string {
  const { lang } = input;
  const values = input.values ?? {};
  const firstOpen = [...input.sessions]
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.sessionId.localeCompare(b.sessionId))
    .find((session) => session.availability !== 'closed');
  const problems = new FormProblems(input.errors ?? [], (field) => {
    if (field === 'sessionIds') return firstOpen ? sessionCheckboxId(firstOpen.sessionId) : undefined;
    return field in ID ? ID[field as keyof typeof ID] : undefined;
  });
  const context: Context = { lang, values, problems };
  const title = tp(lang, 'register.title');
  const body = html`
<h1>${title}</h1>
${problems.summary(lang)}
${input.message ? html`<div class="message-box${input.errors?.length ? ' message-box--error' : ''}"><p>${input.message}</p></div>` : ''}
<p class="lead">${tp(lang, 'register.intro')}</p>
<form method="post" action="/registrations" accept-charset="utf-8" novalidate>
<fieldset>
<legend>${tp(lang, 'register.about')}</legend>
${textField(context, 'name', 'text', 'name', 200)}
${textField(context, 'email', 'email', 'email', 254, tp(lang, 'field.email.hint'))}
${textField(context, 'organisation', 'text', 'organization', 200)}
${selectField(context, 'stakeholderType', options(stakeholderItems(lang), stringValue(values.stakeholderType), tp(lang, 'form.choose')))}
${selectField(context, 'country', options(countryItems(lang), stringValue(values.country)?.toUpperCase(), tp(lang, 'form.choose')), 'country')}
${selectField(context, 'language', options(languageItems(), stringValue(values.language) ?? lang))}
${timeZoneField(context, input.displayTimeZone)}
</fieldset>
${programmeFieldset(context, input)}
<fieldset>
<legend>${tp(lang, 'register.privacy')}</legend>
<p id="consent-text">${tp(lang, 'register.privacy.text')}</p>
<div class="field${problems.has('consent') ? ' field--error' : ''}">
${problems.inline(lang, 'consent', ID.consent)}
<div class="check">
<input type="checkbox" id="${ID.consent}" name="consent" value="on"${isTicked(values.consent) ? html` checked` : ''}${problems.aria('consent', ID.consent, 'consent-text')}>
<label for="${ID.consent}">${tp(lang, 'field.consent')}</label>
</div>
</div>
</fieldset>
<button type="submit" class="button button--large">${tp(lang, 'register.submit')}</button>
</form>
${linkRequestForm(lang)}`;
  return pageLayout({
    lang,
    title,
    body,
    script: localTimesScript + (problems.problems.length ? focusSummaryScript : ''),
    ...(input.switchHref ? { switchHref: input.switchHref } : {}),
    ...(input.forumName ? { forumName: input.forumName } : {}),
  });
}

function textField(context: Context, name: 'name' | 'email' | 'organisation', type: 'text' | 'email', autocomplete: string, maxLength: number, hint?: string): SafeHtml {
  const { lang, values, problems } = context;
  const id = ID[name];
  const hintId = hint ? `${id}-hint` : undefined;
  const value = stringValue(values[name]) ?? '';
  // Addresses read left to right in every script; a name or organisation given again follows its own
  // text, while an empty field keeps the page's direction for typing.
  const dir = type === 'email' ? 'ltr' : value ? 'auto' : undefined;
  return html`<div class="field${problems.has(name) ? ' field--error' : ''}">
<label for="${id}">${tp(lang, `field.${name}`)}</label>
${hint ? html`<span class="hint" id="${hintId}">${hint}</span>` : ''}
${problems.inline(lang, name, id)}
<input type="${type}" id="${id}" name="${name}" value="${value}" autocomplete="${autocomplete}" maxlength="${maxLength}"${dir ? html` dir="${dir}"` : ''}${type === 'email' ? html` spellcheck="false" autocapitalize="off"` : ''}${problems.aria(name, id, hintId)}>
</div>`;
}

function selectField(context: Context, name: 'stakeholderType' | 'country' | 'language', optionList: SafeHtml, autocomplete?: string): SafeHtml {
  const { lang, problems } = context;
  const id = ID[name];
  return html`<div class="field${problems.has(name) ? ' field--error' : ''}">
<label for="${id}">${tp(lang, `field.${name}`)}</label>
${problems.inline(lang, name, id)}
<select id="${id}" name="${name}"${autocomplete ? html` autocomplete="${autocomplete}"` : ''}${problems.aria(name, id)}>${optionList}</select>
</div>`;
}

function timeZoneField(context: Context, displayTimeZone: string): SafeHtml {
  const { lang, values, problems } = context;
  const id = ID.timeZone;
  const posted = stringValue(values.timeZone);
  const selected = posted ?? displayTimeZone;
  // data-auto lets the script put the browser's zone in, but never over a zone the registrant chose.
  return html`<div class="field${problems.has('timeZone') ? ' field--error' : ''}">
<label for="${id}">${tp(lang, 'field.timeZone')}</label>
<span class="hint" id="${id}-hint">${tp(lang, 'field.timeZone.hint')}</span>
${problems.inline(lang, 'timeZone', id)}
<select id="${id}" name="timeZone" data-auto="${posted === undefined ? 'true' : 'false'}"${problems.aria('timeZone', id, `${id}-hint`)}>${options(timeZoneItems(selected), selected)}</select>
</div>`;
}

function programmeFieldset(context: Context, input: RegistrationPageInput): SafeHtml {
  const { lang, values, problems } = context;
  const chosen = new Set(listValue(values.sessionIds));
  const invalid = problems.has('sessionIds');
  const weeks = groupProgramme(input.sessions, input.forumTimeZone).map(
    (week) => html`<section class="week" aria-labelledby="week-${week.weekStart}">
<h3 id="week-${week.weekStart}">${weekHeading(lang, week.weekStart)}</h3>
${week.kinds.map(
  (group) => html`<h4>${pageText.kind(lang, group.kind)}</h4>
<ul class="sessions">${group.sessions.map((session) => sessionItem(context, session, input, chosen.has(session.sessionId), invalid))}</ul>`,
)}
</section>`,
  );
  return html`<fieldset id="programme" class="${invalid ? 'field--error' : ''}" aria-describedby="programme-hint${invalid ? ' field-sessionIds-error' : ''}">
<legend>${tp(lang, 'register.sessions')}</legend>
<p class="hint" id="programme-hint">${tp(lang, 'register.sessions.hint', { max: MAX_SESSIONS_PER_SUBMISSION })}</p>
${problems.inline(lang, 'sessionIds', 'field-sessionIds')}
<div data-locale="${pageLocale(lang)}">
${input.sessions.length === 0 ? html`<p>${tp(lang, 'register.noSessions')}</p>` : weeks}
</div>
</fieldset>`;
}

function sessionItem(context: Context, session: SessionView, input: RegistrationPageInput, checked: boolean, invalid: boolean): SafeHtml {
  const { lang } = context;
  const id = sessionCheckboxId(session.sessionId);
  const closed = session.availability === 'closed';
  return html`<li class="session${closed ? ' session--closed' : ''}">
<input type="checkbox" id="${id}" name="sessionIds" value="${session.sessionId}" aria-describedby="${id}-details"${checked && !closed ? html` checked` : ''}${closed ? html` disabled` : ''}${invalid && !closed ? html` aria-invalid="true"` : ''}>
<div class="session__body">
<label class="session__title" for="${id}">${organiserText(session.title, lang)}</label>
<div id="${id}-details">
${sessionTimes(lang, session, input.displayTimeZone, input.forumTimeZone)}
${availabilityBadge(lang, session)}
${sessionDescription(lang, session)}
</div>
</div>
</li>`;
}
