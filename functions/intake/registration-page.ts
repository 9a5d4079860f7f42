import { linkRequestForm } from '../core/pages/link-form.ts';
import type { FieldProblem } from '../core/errors.ts';
import { html, type SafeHtml } from '../core/html.ts';
import { pageLocale, pageText, tp } from '../core/i18n/page-messages.ts';
import { sessionKinds, type Language } from '../core/model.ts';
import pages from '../core/i18n/compiled/pages.js';
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
  timeZoneOptions,
} from '../core/pages/form-controls.ts';
import { programmeScript } from './programme-script.ts';
import { pageLayout } from '../core/pages/layout.ts';
import {
  availabilityBadge,
  dayHeading,
  focusSummaryScript,
  isoWeekStart,
  labelWithZone,
  localTimesScript,
  organiserText,
  programmeByDay,
  sessionDescription,
  sessionTimes,
  weekHeading,
} from '../core/pages/session-parts.ts';
import { zoneLabel } from '../core/time-format.ts';

type FormValue = string | string[] | boolean;
type SessionKind = (typeof sessionKinds)[number];

/** What `GET /?kind=…&week=…` narrows the programme to (filters that work without JavaScript). */
export type ProgrammeFilter = { kind?: SessionKind; week?: string };

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
  /** The fresh page's filters (`GET /`); a refused form shows every session, so nothing chosen is hidden. */
  filter?: ProgrammeFilter;
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
 * It works without JavaScript; the inline scripts pick the browser's time zone and re-render the
 * programme's times in it, narrow the programme by the filters without a reload, count the chosen
 * sessions and warn of overlaps (programme-script.ts). Every text from registrants or organisers is escaped. Never throws for any
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
${input.values === undefined ? html`<form id="programme-filter" method="get" action="/"><input type="hidden" name="lang" value="${lang}"></form>` : ''}
${linkRequestForm(lang)}`;
  return pageLayout({
    lang,
    title,
    body,
    script: localTimesScript + programmeScript + (problems.problems.length ? focusSummaryScript : ''),
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
<select id="${id}" name="timeZone" data-auto="${posted === undefined ? 'true' : 'false'}"${problems.aria('timeZone', id, `${id}-hint`)}>${timeZoneOptions(lang, selected)}</select>
</div>`;
}

function programmeFieldset(context: Context, input: RegistrationPageInput): SafeHtml {
  const { lang, values, problems } = context;
  const chosen = new Set(listValue(values.sessionIds));
  const invalid = problems.has('sessionIds');
  const filter = input.values === undefined ? (input.filter ?? {}) : {};
  const matches = (session: SessionView) => (!filter.kind || session.kind === filter.kind) && (!filter.week || isoWeekStart(session.startsAt, input.forumTimeZone) === filter.week);
  const shown = input.sessions.filter(matches);
  const weeks = programmeByDay(shown, input.forumTimeZone, input.displayTimeZone);
  const firstBookable = weeks.find((week) => week.days.some((day) => day.sessions.some((s) => s.availability !== 'closed')))?.weekStart;
  // A week is open when it holds a chosen session, when it is the one asked for, or (nothing chosen) when
  // it is the first with seats; a small programme shows every week open. The rest are one Tab each.
  const isOpen = (weekStart: string, sessions: SessionView[]) =>
    weeks.length <= 2 || Boolean(filter.week) || sessions.some((s) => chosen.has(s.sessionId)) || (invalid && weekStart === firstBookable) || (chosen.size === 0 && weekStart === firstBookable);
  const weekSections = weeks.map((week) => {
    const all = week.days.flatMap((day) => day.sessions);
    return html`<details class="week" id="week-${week.weekStart}" data-week="${week.weekStart}"${isOpen(week.weekStart, all) ? html` open` : ''}>
<summary><h2>${weekHeading(lang, week.weekStart)} <span class="week__count">${tp(lang, 'register.week.count', { count: week.count })}</span></h2></summary>
${week.days.map(
  (day) => html`<section class="day" aria-labelledby="day-${week.weekStart}-${day.day}" data-day="${day.day}">
<h3 class="day__heading" id="day-${week.weekStart}-${day.day}">${dayHeading(lang, day.day)}</h3>
<ul class="sessions">${day.sessions.map((session) => sessionItem(context, session, input, chosen.has(session.sessionId), invalid))}</ul>
</section>`,
)}
</details>`;
  });
  const zone = zoneLabel(new Date().toISOString(), input.displayTimeZone, lang);
  const forum = zoneLabel(new Date().toISOString(), input.forumTimeZone, lang);
  return html`<fieldset id="programme" class="${invalid ? 'field--error' : ''}" aria-describedby="programme-hint${invalid ? ' field-sessionIds-error' : ''}">
<legend>${tp(lang, 'register.sessions')}</legend>
<p class="hint" id="programme-hint">${tp(lang, 'register.sessions.hint', { max: MAX_SESSIONS_PER_SUBMISSION })}</p>
<p class="hint">${labelWithZone(lang, 'register.shownIn', `${input.displayTimeZone.replace(/_/g, ' ')} (${zone})`, 'js-display-zone', { forum: `${input.forumTimeZone.replace(/_/g, ' ')}, ${forum}` })}</p>
${problems.inline(lang, 'sessionIds', 'field-sessionIds')}
<a class="skip-inline" href="#after-programme">${tp(lang, 'register.skipProgramme')}</a>
${input.values === undefined ? filterControls(lang, input, filter, shown.length) : ''}
${choiceSummary(lang, chosen.size)}
<div data-locale="${pageLocale(lang)}" class="programme">
${input.sessions.length === 0 ? html`<p>${tp(lang, 'register.noSessions')}</p>` : weekSections}
</div>
<div id="after-programme" tabindex="-1"></div>
</fieldset>`;
}

/** Kind, week and zone to show, as a GET form of its own (its fields sit here, outside it, by `form=`). */
function filterControls(lang: Language, input: RegistrationPageInput, filter: ProgrammeFilter, shown: number): SafeHtml {
  const kinds = sessionKinds.filter((kind) => input.sessions.some((s) => s.kind === kind));
  const weeks = [...new Set(input.sessions.map((s) => isoWeekStart(s.startsAt, input.forumTimeZone)))].sort();
  const filtered = Boolean(filter.kind || filter.week);
  return html`<div class="filter" role="group" aria-labelledby="filter-title">
<p class="filter__title" id="filter-title">${tp(lang, 'register.filter.title')}</p>
<div class="filter__fields">
<div class="field"><label for="filter-kind">${tp(lang, 'register.filter.kind')}</label>
<select id="filter-kind" name="kind" form="programme-filter">${options(kinds.map((kind) => ({ value: kind, label: pageText.kind(lang, kind) })), filter.kind, tp(lang, 'register.filter.allKinds'))}</select></div>
<div class="field"><label for="filter-week">${tp(lang, 'register.filter.week')}</label>
<select id="filter-week" name="week" form="programme-filter">${options(weeks.map((week) => ({ value: week, label: weekHeading(lang, week) })), filter.week, tp(lang, 'register.filter.allWeeks'))}</select></div>
<div class="field"><label for="filter-zone">${tp(lang, 'register.filter.zone')}</label>
<select id="filter-zone" name="tz" form="programme-filter">${timeZoneOptions(lang, input.displayTimeZone)}</select></div>
<button type="submit" form="programme-filter" class="button button--secondary">${tp(lang, 'register.filter.submit')}</button>
</div>
<p class="hint" id="filter-reload">${tp(lang, 'register.filter.reload')}</p>
<p class="filter__shown" aria-live="polite"><span id="filter-shown" data-forms="${JSON.stringify(pluralForms(lang, pages[lang]['register.filter.shown'], 'shown', { total: input.sessions.length }))}">${tp(lang, 'register.filter.shown', { shown, total: input.sessions.length })}</span>${filtered ? html` <a href="/?lang=${lang}">${tp(lang, 'register.filter.reset')}</a>` : ''}</p>
</div>`;
}

/**
 * A plural message's text for each plural category of the language (and for 0), with `#` where the
 * count goes, so the page script words a count it computes as the catalogue does.
 */
function pluralForms(lang: Language, message: (values: Record<string, string | number>) => string, arg: string, values: Record<string, string | number> = {}): Record<string, string> {
  const rules = new Intl.PluralRules(pageLocale(lang));
  const numbers = new Intl.NumberFormat(pageLocale(lang));
  const categories = rules.resolvedOptions().pluralCategories;
  // The other values go in as markers without digits, so only the count's own digits become `#`.
  const markers = Object.keys(values).map((key, i) => [key, String.fromCharCode(0xe000 + i)] as const);
  const text = (n: number, replaceCount: boolean) => {
    let out = message({ ...Object.fromEntries(markers), [arg]: n });
    if (replaceCount) out = out.replace(numbers.format(n), '#');
    for (const [key, marker] of markers) out = out.replace(marker, String(values[key]));
    return out;
  };
  const forms: Record<string, string> = { '=0': text(0, false) };
  for (let n = 1; n < 200 && Object.keys(forms).length <= categories.length; n++) forms[rules.select(n)] ??= text(n, true);
  return forms;
}

/**
 * "3 sessions chosen" and the overlap warning, kept current by the page script; the forms of each plural
 * category of the language go along as data (the script picks one with Intl.PluralRules).
 */
function choiceSummary(lang: Language, count: number): SafeHtml {
  const message = pages[lang]['register.chosen'];
  const forms = pluralForms(lang, message, 'count');
  const overlap = tp(lang, 'register.overlap', { first: '%FIRST%', second: '%SECOND%' });
  return html`<div class="choice" aria-live="polite" hidden>
<p id="choice-summary" class="choice__summary" data-forms="${JSON.stringify(forms)}">${message({ count })}</p>
<ul id="choice-overlaps" class="choice__overlaps" data-template="${overlap}"></ul>
</div>`;
}

function sessionItem(context: Context, session: SessionView, input: RegistrationPageInput, checked: boolean, invalid: boolean): SafeHtml {
  const { lang } = context;
  const id = sessionCheckboxId(session.sessionId);
  const closed = session.availability === 'closed';
  return html`<li class="session${closed ? ' session--closed' : ''}" data-kind="${session.kind}">
<input type="checkbox" id="${id}" name="sessionIds" value="${session.sessionId}" data-start="${session.startsAt}" data-end="${session.endsAt}" aria-describedby="${id}-details"${checked && !closed ? html` checked` : ''}${closed ? html` disabled` : ''}${invalid && !closed ? html` aria-invalid="true"` : ''}>
<div class="session__body">
<label class="session__title" for="${id}">${organiserText(session.title, lang)}</label>
<div id="${id}-details">
<span class="kind">${pageText.kind(lang, session.kind)}</span>
${sessionTimes(lang, session, input.displayTimeZone, input.forumTimeZone)}
${availabilityBadge(lang, session)}
${sessionDescription(lang, session)}
</div>
</div>
</li>`;
}
